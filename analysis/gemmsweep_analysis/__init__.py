"""Charts and comparisons from gemmsweep results files (docs/results-format.md).

Entry point: ``python3 -m gemmsweep_analysis plot|roofline|compare ...`` (see docs/analysis.md).
The building blocks return plain data (panels of series, tables) before anything is drawn, so
that tests and notebooks can check what a chart shows without reading pixels.
"""

__all__ = ["AnalysisError"]

from .errors import AnalysisError
