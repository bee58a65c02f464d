"""The one exception type that the command line turns into a one-line message and exit status 2."""


class AnalysisError(Exception):
    """Bad input: a missing or foreign file, an unknown op or column, an unusable option value.

    The message is the whole story for the user: it names the file or option, the value, and
    what is allowed, on one line.
    """
