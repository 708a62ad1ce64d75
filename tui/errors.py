"""The one exception type meant for users: a clear one-line message, caught at the edges (CLI, UI)."""


class DiglotError(Exception):
    """An error a user can act on. `str(err)` is a single line, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(" ".join(message.split()))
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(DiglotError):
    """Bad arguments or a malformed query."""

    exit_code = 2


class NotFoundError(DiglotError):
    """An article, package or entity that does not exist."""

    exit_code = 3


class Cancelled(DiglotError):
    """Long work stopped at the user's request."""

    exit_code = 130
