"""The one exception the library raises for bad input."""


class DataError(ValueError):
    """Input the library cannot use, with a message a student can act on."""


class ConvergenceWarning(UserWarning):
    """A solver hit its iteration cap before reaching the promised accuracy."""
