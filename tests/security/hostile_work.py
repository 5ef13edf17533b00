"""Work that misbehaves, for the tests of policeplan.sandbox. Module-level and Django-free,
so a fresh child interpreter can import it."""

from __future__ import annotations

import time


def eat_memory(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def spin() -> None:
    while True:
        pass


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def recurse(depth: int = 0) -> int:
    return recurse(depth + 1)


def answer(value: int) -> int:
    return value * 2
