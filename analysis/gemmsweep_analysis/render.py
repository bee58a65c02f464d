"""Draws panels (series.Panel) with matplotlib's Agg backend and saves PNG or SVG by extension.

Nothing here computes: every number drawn comes from the panels, which is what tests check.
"""

import os
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .errors import AnalysisError  # noqa: E402
from .labels import printable  # noqa: E402

# Fixed ids in SVG output, so that redrawing the same file gives the same bytes.
matplotlib.rcParams["svg.hashsalt"] = "gemmsweep"

FORMATS = (".png", ".svg")
POW2_CLASSES = (0, 1, 2, 4, 8, 16, 32, 64)
# Lines that share a colour (one group) but differ in another column differ in style; dashed
# with crosses is kept for reference readings.
VARIANT_STYLES = ("-", ":", "-.", (0, (6, 2, 1, 2, 1, 2)), (0, (1, 3)))
LEGEND_INSIDE_MAX = 9


def check_output(path):
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise AnalysisError(f"-o {path}: unsupported image type '{extension or '(none)'}' "
                            f"(allowed: .png, .svg)")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise AnalysisError(f"-o {path}: folder {folder} does not exist")


def text(value):
    """A label as matplotlib shows it: control characters escaped, line breaks kept, and '$'
    escaped so that a job or device name is never parsed as mathtext (which fails on bad TeX)."""
    return "\n".join(printable(line).replace("$", r"\$") for line in str(value).split("\n"))


def _colours(panels):
    """One colour per group value, stable across panels and for reference overlays."""
    groups = []
    for panel in panels:
        for s in list(panel.series) + list(panel.reference):
            if s.group not in groups:
                groups.append(s.group)
    if panels and panels[0].group_by == "pow2":
        cmap = plt.get_cmap("viridis")
        return {g: cmap(POW2_CLASSES.index(g) / (len(POW2_CLASSES) - 1))
                if g in POW2_CLASSES else "grey" for g in groups}
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return {g: cycle[i % len(cycle)] for i, g in enumerate(groups)}


def _legend_entries(panel):
    return len(panel.series) + (1 if panel.reference else 0) + len(panel.roofs)


UNCONVERGED_LABEL = "hollow: not converged (rel_ci above max_rel_ci)"


def _mark_unconverged(ax, panel, colours):
    """Hollow markers on the points some row of which did not meet the stopping rule."""
    marked = False
    for s in panel.series:
        if s.unconverged is None or not np.any(s.unconverged):
            continue
        ax.plot(s.x[s.unconverged], s.y[s.unconverged], linestyle="none", marker="o",
                markersize=5, markerfacecolor="white", markeredgewidth=1.1,
                markeredgecolor=colours.get(s.group), label="_nolegend_", zorder=3)
        marked = True
    if marked:  # one legend entry for all of them
        ax.plot([], [], linestyle="none", marker="o", markerfacecolor="white",
                markeredgecolor="black", label=UNCONVERGED_LABEL)


def _draw(ax, panel, colours):
    # Dots only where lines are sparse enough to show them, the same for every line of a panel.
    marker = "." if max((len(s.x) for s in panel.series), default=0) < 60 else None
    for s in panel.series:
        if panel.style == "points":
            ax.plot(s.x, s.y, linestyle="none", marker="o", markersize=3,
                    color=colours.get(s.group), label=text(s.label))
        else:
            ax.plot(s.x, s.y, marker=marker, linewidth=1.4,
                    linestyle=VARIANT_STYLES[s.variant % len(VARIANT_STYLES)],
                    color=colours.get(s.group), label=text(s.label))
    _mark_unconverged(ax, panel, colours)
    for i, s in enumerate(panel.reference):
        ax.plot(s.x, s.y, linestyle="--", marker="x", linewidth=0.9, markersize=5,
                color=colours.get(s.group, "black"), alpha=0.8,
                label=text(s.label.split(",")[0]) if i == 0 else "_nolegend_")
    for label, xs, ys in panel.roofs:
        ax.plot(xs, ys, color="black", linewidth=1.2, label=text(label))
    for y, label in panel.hlines:
        ax.axhline(y, color="grey", linestyle=":", linewidth=1.0)
        ax.annotate(text(label), xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(-4, 2),
                    textcoords="offset points", ha="right", fontsize=7, color="grey")
    ax.set_xscale(panel.xscale)
    ax.set_yscale(panel.yscale)
    # The note (peaks used, median fraction) sits between the title and the axes, clear of data
    # and legend.
    ax.set_title(text(panel.title), fontsize=10, pad=14 if panel.note else 6)
    ax.set_xlabel(text(panel.xlabel))
    ax.set_ylabel(text(panel.ylabel))
    if panel.note:
        ax.text(0.5, 1.01, text(panel.note), transform=ax.transAxes, fontsize=7, ha="center",
                va="bottom", color="dimgrey")
    if panel.yscale == "linear" and panel.y_column == "tflops":
        ax.set_ylim(bottom=0)
    if panel.y_column == "roof_fraction":
        top = max([1.0] + [float(y) for s in panel.series for y in s.y if np.isfinite(y)])
        ax.set_ylim(0, top * 1.12)
    ax.grid(True, alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        # A long legend goes beside the axes, not over the data.
        if len(handles) > LEGEND_INSIDE_MAX:
            ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                      ncol=2 if len(handles) > 24 else 1)
        else:
            ax.legend(fontsize=7, loc="best")


def render(grid, path, suptitle=""):
    """grid: list of rows, each a list of panels. Saves to path; returns the Figure (kept open
    so callers may inspect ax.lines; close it with plt.close(fig))."""
    check_output(path)
    # A name in a script the font lacks (CJK, emoji) is drawn as boxes; matplotlib would also
    # warn once per character and drawing pass, flooding the terminal.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from",
                                category=UserWarning)
        return _render(grid, path, suptitle)


def _render(grid, path, suptitle):
    rows = len(grid)
    cols = max(len(r) for r in grid)
    beside = any(_legend_entries(p) > LEGEND_INSIDE_MAX for r in grid for p in r)
    fig, axes = plt.subplots(rows, cols, figsize=((11.0 if beside else 7.5) * cols, 4.6 * rows),
                             squeeze=False)
    colours = _colours([p for r in grid for p in r])
    for r, row in enumerate(grid):
        for c in range(cols):
            if c < len(row):
                _draw(axes[r][c], row[c], colours)
            else:
                axes[r][c].set_visible(False)
    if suptitle:
        fig.suptitle(text(suptitle), fontsize=8, color="dimgrey")
    fig.tight_layout()
    try:
        # No date in SVG metadata either.
        svg = path.lower().endswith(".svg")
        fig.savefig(path, dpi=110, metadata={"Date": None} if svg else None)
    except OSError as error:
        plt.close(fig)
        raise AnalysisError(f"-o {path}: cannot write: {error.strerror or error}") from None
    return fig
