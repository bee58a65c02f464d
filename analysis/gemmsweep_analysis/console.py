"""The gemmsweep-analysis command that `pip install` and `cmake --install` put on PATH."""

from .cli import main as cli_main


def main():
    return cli_main(prog="gemmsweep-analysis")
