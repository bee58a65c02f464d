"""Command line: plot, roofline, compare, fit. Bad input ends with one line on stderr and status 2."""

import argparse
import math
import os
import sys

import pandas as pd

from . import compare as compare_mod
from .errors import AnalysisError
from .labels import printable
from .reference import (agreement, agreement_lines, read_reference, reference_series,
                        source_label)
from .results import Results, open_results, select_ops
from .roofline import build_roofline_panels, with_roofline
from .series import GROUP_POW2, build_panels, converged_only

EXIT_BAD_INPUT = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (what was wrong and where to look), status 2."""

    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {printable(message)} (see --help)\n")


def positive_number(text):
    """argparse type of a peak or bandwidth: a roof of 0, below 0 or not finite has no chart."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"'{text}' is not allowed (allowed: a finite number "
                                         f"> 0)")
    return value


def _add_common(p, files_help):
    p.add_argument("files", nargs="+", metavar="FILE", help=files_help)
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="image to write, .png or .svg")
    p.add_argument("--op", action="append", default=[], metavar="OP",
                   help="op to draw, one panel each (repeatable; default: every op in the file)")
    p.add_argument("--group-by", default=GROUP_POW2, metavar="pow2|COLUMN",
                   help="lines by power-of-two class of h/a (default, capped at 64) or by any "
                        "column: heads, dtype, device, seq_length, file, ...")
    p.add_argument("--x", default=None, metavar="COLUMN",
                   help="x axis column (default hidden_size; m for raw gemm/bmm)")
    p.add_argument("--converged-only", action="store_true",
                   help="leave out rows that did not meet the stopping rule (drawn hollow "
                        "otherwise)")


def _add_peaks(p):
    p.add_argument("--peak-tflops", type=positive_number, default=None,
                   help="peak TFLOP/s to use instead of the device table")
    p.add_argument("--bandwidth-tbs", type=positive_number, default=None,
                   help="memory bandwidth in TB/s to use instead of the device table")
    p.add_argument("--gpu-spec", default=None, metavar="FILE",
                   help="peaks and bandwidth from a GPU spec file (TOML, e.g. from gemmsweep "
                        "fit) instead of the device table")


def make_parser(prog):
    parser = OneLineParser(prog=prog, description=__doc__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=OneLineParser)
    commands.required = True
    plot = commands.add_parser("plot", help="TFLOP/s against hidden size (Fig. 7 style)")
    _add_common(plot, "results file(s) (.h5, or a gemmsweep-gpu-bench .csv); several are "
                      "drawn together")
    plot.add_argument("--y", default="tflops", metavar="COLUMN",
                      help="y axis column (default tflops; busbw or algbw for collectives)")
    plot.add_argument("--roofline", action="store_true",
                      help="y = fraction of the device's roofline bound instead of TFLOP/s")
    plot.add_argument("--reference", metavar="CSV",
                      help="overlay published readings (e.g. analysis/reference/fig7a_*.csv)")
    _add_peaks(plot)
    roof = commands.add_parser("roofline", help="intensity vs TFLOP/s under the device's roof")
    _add_common(roof, "results file(s) (.h5, or a gemmsweep-gpu-bench .csv)")
    _add_peaks(roof)
    fit = commands.add_parser("fit", help="measured against fitted TFLOP/s (gemmsweep fit "
                                          "--table), the seed chart with both")
    fit.add_argument("table", metavar="ROWS.csv", help="the table gemmsweep fit --table wrote")
    fit.add_argument("-o", "--output", required=True, metavar="OUT", help=".png or .svg")
    comp = commands.add_parser("compare", help="ratio B/A of two runs, point by point")
    comp.add_argument("file_a", metavar="A.h5")
    comp.add_argument("file_b", metavar="B.h5")
    comp.add_argument("-o", "--output", required=True, metavar="OUT", help=".png or .svg")
    comp.add_argument("--csv", metavar="OUT.csv", help="write the table here instead of stdout")
    comp.add_argument("--group-by", default=GROUP_POW2, metavar="pow2|COLUMN")
    comp.add_argument("--x", default=None, metavar="COLUMN")
    adv = commands.add_parser("advice", help="tokens/s against parameters from /advice")
    adv.add_argument("file", metavar="OUT.h5", help="a results file that gemmsweep advise wrote")
    adv.add_argument("-o", "--output", required=True, metavar="OUT", help=".png or .svg")
    return parser


def open_many(paths):
    """Several files read as one (a column 'file' names each row's source)."""
    opened = [open_results(p) for p in paths]
    if len(opened) == 1:
        only = opened[0]
        only.frame = only.frame.assign(file=os.path.basename(only.path))
        return only, opened
    frame = pd.concat([r.frame.assign(file=os.path.basename(r.path)) for r in opened],
                      ignore_index=True)
    return Results(path=", ".join(paths), frame=frame, attributes=opened[0].attributes,
                   devices=opened[0].devices), opened


def provenance_line(opened):
    parts = []
    for r in opened:
        a = r.attributes
        bits = [os.path.basename(r.path)]
        name = a.get("job_name") or a.get("name")
        if name:
            bits.append(f"job {name}")
        if a.get("backend"):
            bits.append(f"backend {a['backend']}")
        if a.get("gemmsweep_version"):
            bits.append(f"gemmsweep {a['gemmsweep_version']}")
        if a.get("created_utc"):
            bits.append(str(a["created_utc"]))
        # One line per file, whatever a job name holds (a newline would start another).
        parts.append(printable(", ".join(bits), limit=160))
    return "\n".join(parts)


def _summary(panels, path):
    series = sum(len(p.series) for p in panels)
    points = sum(len(s.x) for p in panels for s in p.series)
    return f"wrote {path}: {len(panels)} panel(s), {series} series, {points} points"


def run_plot(args):
    from .render import check_output, render
    check_output(args.output)
    if args.reference and args.roofline:
        raise AnalysisError("--reference overlays TFLOP/s readings; it cannot go with --roofline")
    results, opened = open_many(args.files)
    rows, ops = select_ops(results, args.op)
    if args.converged_only:
        rows = converged_only(rows, results.path)
    y = args.y
    if args.roofline:
        rows = with_roofline(rows, args.peak_tflops, args.bandwidth_tbs, _spec(args))
        y = "roof_fraction"
    panels = build_panels(rows, ops, x=args.x, y=y, group_by=args.group_by, path=results.path)
    if args.reference:
        table = read_reference(args.reference)
        targets = [p for p in panels if p.x_column == "hidden_size"]
        if not targets:
            raise AnalysisError(f"--reference {args.reference}: readings are against hidden_size, "
                                f"but the x axis is {panels[0].x_column}")
        label = source_label(args.reference)
        for panel in targets:
            panel.reference = reference_series(table, label)
            for line in agreement_lines(agreement(panel), f"{panel.op} vs {label}"):
                print(line)
    if args.roofline:
        for panel in panels:
            panel.title += ": fraction of roofline"
            panel.hlines = [(1.0, "bound")]
    render([[p] for p in panels], args.output, provenance_line(opened))
    print(_summary(panels, args.output))


def run_roofline(args):
    from .render import check_output, render
    check_output(args.output)
    results, opened = open_many(args.files)
    rows, ops = select_ops(results, args.op)
    if args.converged_only:
        rows = converged_only(rows, results.path)
    rows = with_roofline(rows, args.peak_tflops, args.bandwidth_tbs, _spec(args))
    pairs = build_roofline_panels(rows, ops, x=args.x, group_by=args.group_by, path=results.path)
    render([list(pair) for pair in pairs], args.output, provenance_line(opened))
    print(_summary([p for pair in pairs for p in pair], args.output))


def _spec(args):
    if args.gpu_spec is None:
        return None
    from .gpu_spec import read_gpu_spec
    return read_gpu_spec(args.gpu_spec)


def run_fit(args):
    from .fit_chart import build_fit_panels, read_fit_table
    from .render import check_output, render
    check_output(args.output)
    panels = build_fit_panels(read_fit_table(args.table))
    render([[p] for p in panels], args.output, f"gemmsweep fit --table {args.table}")
    for panel in panels:
        print(f"{panel.op}: {panel.note}")
    print(_summary(panels, args.output))


def run_compare(args):
    from .render import check_output, render
    check_output(args.output)
    a, b = open_results(args.file_a), open_results(args.file_b)
    comparison = compare_mod.compare(a, b)
    panels = compare_mod.build_compare_panels(comparison, x=args.x, group_by=args.group_by)
    render([[p] for p in panels], args.output,
           f"A = {provenance_line([a])}\nB = {provenance_line([b])}")
    if args.csv:
        try:
            comparison.table.to_csv(args.csv, index=False)
        except OSError as error:
            raise AnalysisError(f"--csv {args.csv}: cannot write: {error.strerror}") from None
    else:
        print(comparison.table.to_string(index=False))
    for line in comparison.summary_lines():
        print(line)
    print(_summary(panels, args.output))


def run_advice(args):
    from .advice import draw_advice, load_advice
    from .load import attributes

    frame = load_advice(args.file)
    attrs = attributes(args.file)
    title = f"advise: {attrs.get('job_name', args.file)} ({attrs.get('backend', '?')} backend)"
    data = draw_advice(frame, args.output, title)
    ranked = sum(len(g.params) for g in data.groups)
    print(f"{args.output}: {ranked} ranked candidate(s), baseline "
          f"{'marked' if data.baseline else 'absent'}")


def main(argv=None, prog="gemmsweep-plot"):
    args = make_parser(prog).parse_args(argv)
    handlers = {"plot": run_plot, "roofline": run_roofline, "compare": run_compare,
                "fit": run_fit, "advice": run_advice}
    try:
        handlers[args.command](args)
    except AnalysisError as error:
        # A value quoted from a file may hold a newline; the message stays one line.
        print(f"{prog}: error: {printable(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
