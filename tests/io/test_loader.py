"""A file written by the C++ store, read through h5py and the analysis loader: every value must be
what C++ wrote. Usage: test_loader.py FIXTURE_WRITER ANALYSIS_DIR WORK_DIR"""

import json
import math
import os
import subprocess
import sys

writer, analysis_dir, work = sys.argv[1:4]
sys.path.insert(0, analysis_dir)

import h5py  # noqa: E402
import numpy as np  # noqa: E402

from gemmsweep_analysis.load import attributes, devices, load, provenance  # noqa: E402

os.makedirs(work, exist_ok=True)
path = os.path.join(work, "loader.h5")
expected_path = os.path.join(work, "loader.json")
for stale in (path, expected_path):
    if os.path.exists(stale):
        os.remove(stale)
subprocess.run([writer, path, expected_path], check=True)
with open(expected_path, encoding="utf-8") as f:
    expected = json.load(f)


def same(a, b):
    if b == "NaN":  # a value not read: NaN in the file, "NaN" in JSON, which has no NaN
        return isinstance(a, float) and math.isnan(a)
    if isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def check_frame(frame, rows, what):
    assert len(frame) == len(rows), (what, len(frame), len(rows))
    assert list(frame.columns) == list(rows[0].keys()), (what, list(frame.columns))
    for column in frame.columns:
        values = frame[column].tolist()
        for i, row in enumerate(rows):
            assert same(values[i], row[column]), (what, i, column, values[i], row[column])


frame = load(path)
check_frame(frame, expected["rows"], "results")
# Strings are str, booleans bool, so pandas filters read naturally.
assert frame.op.dtype == object and isinstance(frame.op[0], str)
assert frame.converged.dtype == bool
assert (frame.status == "ok").sum() == 50
assert frame.message[5] == "non-ASCII stays readable: µs, naïve"
check_frame(devices(path), expected["devices"], "devices")

attrs = attributes(path)
for key, value in expected["attributes"].items():
    assert attrs[key] == value, (key, attrs[key], value)
assert attrs["format_version"] == 3 and attrs["complete"] == 1
assert attrs["finished_utc"].endswith("Z")
history = provenance(path)
assert [h["event"] for h in history] == ["create"], history

# Plain h5py: a structured array whose fields carry the C++ names, one line to pandas.
with h5py.File(path, "r") as f:
    array = f["results"][()]
    assert array.dtype.names[:3] == ("task_id", "point_id", "op")
    assert array["op"].dtype.kind == "S"
    assert isinstance(f.attrs["spec"], str)
    # NaN round trip: what C++ wrote as not read is NaN for plain h5py too, not 0.
    assert np.isnan(array["power_after_w"][0]) and array["power_after_w"][1] == 501.0
    # Every column's unit, in an attribute of /results (compound fields carry none).
    units = json.loads(f["results"].attrs["units"])
    assert list(units) == list(array.dtype.names), units
    assert units["time_s"] == "s" and units["tflops"] == "TFLOP/s" and units["op"] == ""
nan_rows = frame.power_after_w.isna()
assert nan_rows.sum() == 34 and nan_rows[0] and not nan_rows[1], nan_rows.sum()
assert (frame.stop_reason[frame.status == "ok"] != "").all()
# Rows a failed write left unwritten (the dataset grew, the data never came) read back with an
# empty status; the loader drops them, as the C++ readers do, and says how many.
grown = os.path.join(work, "grown.h5")
with open(path, "rb") as src, open(grown, "wb") as dst:
    dst.write(src.read())
with h5py.File(grown, "r+") as f:
    f["results"].resize((f["results"].shape[0] + 3,))
frame = load(grown)
check_frame(frame, expected["rows"], "results with unwritten rows")
assert frame.attrs["unwritten_rows"] == 3, frame.attrs
assert load(path).attrs["unwritten_rows"] == 0
print("loader test: ok")
