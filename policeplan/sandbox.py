"""Run a parser of untrusted files in a child process with limits on memory, CPU and time.

A hostile file (a zip bomb dressed as a Word document, a PDF that loops, an email nested
thousands deep) then costs at most these limits and never the web or job worker that asked:
the child is killed, and the caller gets `LimitExceeded` naming what ran out.

    result = run_limited(parse, name, data, memory_mb=768, cpu_seconds=10, wall_seconds=20)

`func` must be a module-level function that imports nothing from Django and returns plain
JSON values (str, int, float, bool, None, lists and dicts). A `ValueError` it raises comes
back as `Refused` with the same message, for people to read.

The child is a fresh interpreter (`python -m policeplan.sandbox`, an argument list and no
shell), so nothing of the parent's threads, locks or database connections is inherited and
the parent's main module is not imported again. The child sets its own limits before it
parses the input, and answers in JSON, never pickle: a parser subverted by the file cannot
make the parent run anything.

`zip_within` checks a zip-based file (.docx, .xlsx) by the sizes its directory declares,
before anything is unpacked: the cheap first refusal of a zip bomb.
"""

from __future__ import annotations

import importlib
import json
import pickle
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any


def zip_within(source: Any, *, max_parts: int, max_unpacked: int) -> str:
    """Check a zip-based file (.docx, .xlsx) before anything is unpacked: the problem as a
    phrase for people ("it would unpack to 560 MB, ..."), or "" when it is within the limits.
    The sizes are the ones its directory declares, which zipfile then holds each part to."""
    import zipfile

    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        return f"it is not a readable zip-based file ({error})"
    if len(parts) > max_parts:
        return f"it holds {len(parts):,} parts; a file we can read has at most {max_parts:,}"
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked:
        return (
            f"it would unpack to {unpacked / 1024 / 1024:,.0f} MB, more than the "
            f"{max_unpacked // 1024 // 1024:,} MB allowed, so it was not opened"
        )
    return ""


class LimitExceeded(Exception):
    """The parser ran out of memory, CPU, time or depth, or died: the message says which."""


class Refused(ValueError):
    """The parser refused the input with a message for people."""


def run_limited(
    func: Callable[..., Any],
    *args: Any,
    memory_mb: int = 768,
    cpu_seconds: int = 10,
    wall_seconds: float = 20,
) -> Any:
    """func(*args) in a limited child process: its result, Refused, or LimitExceeded."""
    payload = pickle.dumps(
        {
            "path": sys.path,
            "module": func.__module__,
            "name": func.__qualname__,
            "args": args,
            "memory": memory_mb * 1024 * 1024,
            "cpu": cpu_seconds,
        }
    )
    # Our own interpreter and module: no value from outside is in the argument list.
    child = subprocess.Popen(
        [sys.executable, "-m", "policeplan.sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        out, _ = child.communicate(payload, timeout=wall_seconds)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise LimitExceeded(f"it took longer than {wall_seconds:g} seconds to read") from None
    if child.returncode == -signal.SIGXCPU:
        raise LimitExceeded(f"it took more than {cpu_seconds} seconds of processing to read")
    try:
        answer = json.loads(out)
    except ValueError:
        raise LimitExceeded(
            "reading it used more memory or time than allowed, so it was stopped"
        ) from None
    if "ok" in answer:
        return answer["ok"]
    if "refused" in answer:
        raise Refused(answer["refused"])
    if answer.get("limit") == "memory":
        raise LimitExceeded(f"reading it needed more than {memory_mb:,} MB of memory")
    if answer.get("limit") == "depth":
        raise LimitExceeded("it is nested too deeply to read")
    raise LimitExceeded(f"it could not be read ({answer.get('failed', 'unknown error')})")


def _main() -> None:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a parser prints must not spoil the answer
    request = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 - from our own parent
    resource.setrlimit(resource.RLIMIT_AS, (request["memory"], request["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (request["cpu"], request["cpu"] + 1))
    sys.path[:] = request["path"]
    answer: dict[str, Any]
    try:
        func = getattr(importlib.import_module(request["module"]), request["name"])
        answer = {"ok": func(*request["args"])}
    except MemoryError:
        answer = {"limit": "memory"}
    except RecursionError:
        answer = {"limit": "depth"}
    except ValueError as error:
        answer = {"refused": str(error)}
    except Exception as error:  # any other parser failure becomes a clear refusal
        answer = {"failed": type(error).__name__}
    out.write(json.dumps(answer).encode())
    out.flush()


if __name__ == "__main__":
    _main()
