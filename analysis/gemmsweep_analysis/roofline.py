"""Where each measured shape stands against its device's limit.

intensity = flops / bytes moved (A and B read once, C written once, at the dtype's element size);
bound = min(peak, intensity x bandwidth) of the device that measured the row; roof_fraction =
tflops / bound. Bytes match GemmShape::bytes (jobs/gemm_shape.hpp).
"""

import numpy as np

from .errors import AnalysisError
from .labels import axis_name
from .peaks import element_bytes, find_device, roof_of
from .series import COMM_OPS, GROUP_POW2, build_panels


def bytes_moved(rows):
    sizes = [element_bytes(d) for d in rows["dtype"]]
    in_bytes = np.array([s[0] for s in sizes], dtype=float)
    out_bytes = np.array([s[1] for s in sizes], dtype=float)
    batch, m, n, k = (rows[c].to_numpy(dtype=float) for c in ("batch", "m", "n", "k"))
    return batch * (m * n + n * k) * in_bytes + batch * m * k * out_bytes


def with_roofline(rows, peak_tflops=None, bandwidth_tbs=None, spec=None):
    """Rows plus columns intensity, peak_tflops, bandwidth_tbs, bound_tflops, roof_fraction."""
    with np.errstate(divide="ignore", invalid="ignore"):
        intensity = rows["flops"].to_numpy(dtype=float) / bytes_moved(rows)
    # A shape with no FLOPs or no bytes has no place under a roof (its bound would be 0).
    unplaced = ~(np.isfinite(intensity) & (intensity > 0))
    if unplaced.any():
        row = rows.iloc[int(np.argmax(unplaced))]
        if row["op"] in COMM_OPS:
            raise AnalysisError(f"roofline: {row['op']} is a collective (bytes moved, no FLOPs), "
                                f"it has no roofline; leave it out with --op, or draw its "
                                f"bandwidth with plot --y busbw")
        raise AnalysisError(f"roofline: {int(unplaced.sum())} row(s) have no arithmetic "
                            f"intensity, e.g. {row['op']} flops {row['flops']:g}, batch "
                            f"{row['batch']}, m {row['m']}, n {row['n']}, k {row['k']} (allowed: "
                            f"flops and every dimension > 0)")
    roofs = {}
    for device, dtype in set(zip(rows["device"], rows["dtype"])):
        roofs[(device, dtype)] = roof_of(device, dtype, peak_tflops, bandwidth_tbs, spec)
    peaks = np.array([roofs[(d, t)][0] for d, t in zip(rows["device"], rows["dtype"])])
    bandwidths = np.array([roofs[(d, t)][1] for d, t in zip(rows["device"], rows["dtype"])])
    bound = np.minimum(peaks, intensity * bandwidths)  # FLOP/byte x TB/s = TFLOP/s
    return rows.assign(intensity=intensity, peak_tflops=peaks, bandwidth_tbs=bandwidths,
                       bound_tflops=bound,
                       roof_fraction=rows["tflops"].to_numpy(dtype=float) / bound)


def roof_note(rows):
    parts = []
    for (device, dtype), part in rows.groupby(["device", "dtype"], sort=True):
        known = find_device(device)
        name = known.name if known else str(device)
        parts.append(f"{name} {dtype}: {part['peak_tflops'].iloc[0]:g} TFLOP/s, "
                     f"{part['bandwidth_tbs'].iloc[0]:g} TB/s")
    return "roof: " + "; ".join(parts)


def roof_lines(rows):
    """(label, x, y) curves of min(peak, I x BW) across the panel's intensity range."""
    lo = max(float(rows["intensity"].min()) / 2, 1e-3)
    hi = float(rows["intensity"].max()) * 2
    xs = np.geomspace(lo, hi, 200)
    lines = []
    for (peak, bandwidth), _ in rows.groupby(["peak_tflops", "bandwidth_tbs"], sort=True):
        lines.append((f"roof {peak:g} TFLOP/s, {bandwidth:g} TB/s", xs,
                      np.minimum(peak, xs * bandwidth)))
    return lines


def build_roofline_panels(rows, ops, x=None, group_by=GROUP_POW2, path=""):
    """For each op: the roofline chart (intensity vs TFLOP/s, log-log) and fraction of roof vs x.

    rows must come from with_roofline. Returns a list of (roof_panel, fraction_panel) pairs.
    """
    pairs = []
    fraction_panels = build_panels(rows, ops, x=x, y="roof_fraction", group_by=group_by,
                                   path=path)
    roof_panels = build_panels(rows, ops, x="intensity", y="tflops", group_by=group_by,
                               path=path)
    for roof, fraction in zip(roof_panels, fraction_panels):
        op_rows = rows[rows["op"] == roof.op]
        roof.xscale = roof.yscale = "log"
        roof.style = "points"
        roof.xlabel = axis_name("intensity")
        roof.roofs = roof_lines(op_rows)
        roof.note = roof_note(op_rows)
        fraction.note = f"median {np.median(op_rows['roof_fraction']):.0%} of the bound"
        fraction.title = fraction.title + ": fraction of roofline"
        fraction.hlines = [(1.0, "bound")]
        pairs.append((roof, fraction))
    return pairs
