"""The /advice dataset that `gemmsweep advise` writes (docs/advise.md): one row per candidate.

    from gemmsweep_analysis.advice import load_advice, advice_chart_data, draw_advice
    frame = load_advice("OUT.h5")          # columns as the C++ AdviceRecord fields
    data = advice_chart_data(frame)        # what the chart shows, before anything is drawn
    draw_advice(frame, "advice.png")       # tokens/s against parameters, baseline marked

Unranked candidates (rank 0: some product had no row) keep a NaN tokens_per_s and are left out
of the chart.
"""

from dataclasses import dataclass, field

from .errors import AnalysisError
from .load import frame_from_dataset, open_file

RULE_NAMES = ("d64", "h64t", "v64", "bat")


def load_advice(path):
    """/advice as a DataFrame, strings decoded; AnalysisError when the file has none."""
    try:
        with open_file(path) as f:
            if "advice" not in f:
                raise AnalysisError(f"{path}: no /advice dataset (run gemmsweep advise first)")
            frame = frame_from_dataset(f["advice"])
            notes = f["advice"].attrs.get("notes", "")
    except OSError as error:
        raise AnalysisError(f"{path}: cannot be read as a results file ({error})") from None
    frame.attrs["notes"] = notes.decode() if isinstance(notes, bytes) else str(notes)
    return frame


@dataclass
class AdviceGroup:
    rules_met: int            # how many of the paper's four rules the candidates meet
    params: list = field(default_factory=list)
    tokens_per_s: list = field(default_factory=list)


@dataclass
class AdviceChartData:
    groups: list              # AdviceGroup by rules met, fewest first
    baseline: tuple = None    # (params, tokens_per_s) or None
    best: tuple = None


def advice_chart_data(frame):
    ranked = frame[frame["rank"] > 0]
    if ranked.empty:
        raise AnalysisError("/advice has no ranked candidate")
    counts = ranked["rules_met"].apply(lambda bits: bin(int(bits)).count("1"))
    groups = []
    for met in sorted(counts.unique()):
        part = ranked[counts == met]
        groups.append(AdviceGroup(int(met), part["params"].tolist(), part["tokens_per_s"].tolist()))
    data = AdviceChartData(groups=groups)
    base = ranked[ranked["baseline"] == 1]
    if not base.empty:
        data.baseline = (float(base["params"].iloc[0]), float(base["tokens_per_s"].iloc[0]))
    best = ranked[ranked["rank"] == 1]
    data.best = (float(best["params"].iloc[0]), float(best["tokens_per_s"].iloc[0]))
    return data


def draw_advice(frame, output, title="gemmsweep advise"):
    from . import render  # matplotlib only when drawing

    render.check_output(output)
    plt = render.plt
    data = advice_chart_data(frame)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    colours = plt.get_cmap("viridis")
    for group in data.groups:
        ax.scatter([p / 1e9 for p in group.params], group.tokens_per_s, s=18,
                   color=colours(group.rules_met / 4), label=f"{group.rules_met} of 4 rules met")
    if data.baseline:
        ax.scatter([data.baseline[0] / 1e9], [data.baseline[1]], s=120, marker="*",
                   color="crimson", label="baseline", zorder=3)
    ax.set_xlabel("parameters (billions)")
    ax.set_ylabel("tokens/s per GPU")
    ax.set_title(render.text(title))
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(output)
    plt.close(fig)
    return data
