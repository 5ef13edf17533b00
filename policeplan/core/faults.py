"""What counts as a passing fault (the database or another service out of reach), for the
job worker's retries and the 503 page."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# The database refused, closed or reset the connection, is restarting, or is locked.
DATABASE_UNREACHABLE: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def raised_from(exc: BaseException | None, kinds: tuple[type[BaseException], ...]) -> bool:
    """True when `exc`, or any exception it was raised from or while handling, is one of kinds."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kinds):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def database_unreachable(exc: BaseException | None) -> bool:
    return raised_from(exc, DATABASE_UNREACHABLE)
