"""The files an import reads, from paths, folders and zip archives, each under a name the
server makes; the name its owner gave it is kept only as data (for messages and for what the
name promises, such as a data.police.uk file's month).

A zip archive is checked from its central directory before anything is unpacked: no entry
name that is absolute, climbs out with `..`, or repeats another; at most MAX_ENTRIES entries;
at most MAX_TOTAL_BYTES unpacked and no entry that expands more than MAX_RATIO times. The sizes
are enforced again while unpacking, since an archive's headers can lie.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from policeplan.warehouse.errors import FileRejected

MAX_ENTRIES = 5_000
MAX_TOTAL_BYTES = 8 * 1024**3  # a month of every force from data.police.uk is about 1.5 GB
MAX_RATIO = 200  # CSV compresses about 10 times; a zip bomb, thousands of times
CHUNK = 1 << 20
RATIO_FLOOR = 16 * 1024  # a tiny entry may expand more, up to MAX_RATIO times this
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class SourceFile:
    """A file to import: where its bytes are, and the name its owner gave it (data only)."""

    path: Path
    name: str


def expand(
    sources: Iterable[SourceFile],
    workdir: Path,
    *,
    suffixes: frozenset[str],
    wanted: Callable[[str], bool] = lambda name: True,
    what: str = "CSV",
    max_entries: int = MAX_ENTRIES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[SourceFile]:
    """Files from paths, folders (recursively) and zip archives, in name order. Files inside
    archives are unpacked into workdir under numbered names."""
    files: list[SourceFile] = []
    sources = list(sources)
    for source in sources:
        path = source.path
        if not path.exists():
            raise FileRejected(source.name, "no such file or folder")
        if path.is_dir():
            files += [
                SourceFile(p, p.name)
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() in suffixes and p.is_file()
            ]
        elif PurePosixPath(source.name).suffix.lower() == ".zip":
            files += _from_zip(
                source, workdir, suffixes, wanted, max_entries, max_total_bytes, start=len(files)
            )
        else:
            files.append(source)
    if not files:
        raise FileRejected(
            ", ".join(s.name for s in sources), f"no {what} files were found to import"
        )
    return sorted(files, key=lambda f: f.name)


def check_entry_name(archive: str, name: str) -> str:
    """The entry's own file name, or FileRejected if its path is absolute or climbs out."""
    if "\x00" in name:
        raise FileRejected(archive, "an entry's name holds a NUL character")
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise FileRejected(archive, f"the entry ‘{_short(name)}’ has an absolute path")
    if ".." in parts:
        raise FileRejected(archive, f"the entry ‘{_short(name)}’ climbs out of the archive (..)")
    return parts[-1]


def _from_zip(
    source: SourceFile,
    workdir: Path,
    suffixes: frozenset[str],
    wanted: Callable[[str], bool],
    max_entries: int,
    max_total_bytes: int,
    *,
    start: int,
) -> list[SourceFile]:
    archive_name = source.name
    try:
        with zipfile.ZipFile(source.path) as archive:
            infos = archive.infolist()
            if len(infos) > max_entries:
                raise FileRejected(
                    archive_name,
                    f"the archive holds {len(infos):,} entries; at most {max_entries:,} are "
                    "accepted",
                )
            chosen: list[tuple[zipfile.ZipInfo, str]] = []
            seen_paths: set[str] = set()
            seen_names: dict[str, str] = {}
            for info in infos:
                name = check_entry_name(archive_name, info.filename)
                key = info.filename.replace("\\", "/").lower()
                if key in seen_paths:
                    raise FileRejected(
                        archive_name, f"the entry ‘{_short(info.filename)}’ appears twice"
                    )
                seen_paths.add(key)
                if info.is_dir() or PurePosixPath(name).suffix.lower() not in suffixes:
                    continue
                if not wanted(name):
                    continue
                if name.lower() in seen_names:
                    raise FileRejected(
                        archive_name,
                        f"two entries are named {_short(name)} "
                        f"(‘{_short(seen_names[name.lower()])}’ and ‘{_short(info.filename)}’): "
                        "one would replace the other",
                    )
                seen_names[name.lower()] = info.filename
                if info.flag_bits & 0x1:
                    raise FileRejected(archive_name, f"the entry {_short(name)} is encrypted")
                if info.file_size > MAX_RATIO * max(info.compress_size, RATIO_FLOOR):
                    raise FileRejected(
                        archive_name,
                        f"the entry {_short(name)} would unpack to {info.file_size:,} bytes from "
                        f"{info.compress_size:,}: refused as a likely zip bomb",
                    )
                chosen.append((info, name))
            declared = sum(info.file_size for info, _ in chosen)
            if declared > max_total_bytes:
                raise FileRejected(
                    archive_name,
                    f"the archive would unpack to {declared:,} bytes; at most "
                    f"{max_total_bytes:,} are accepted",
                )
            out: list[SourceFile] = []
            written = 0
            for index, (info, name) in enumerate(chosen, start=start):
                suffix = PurePosixPath(name).suffix.lower()
                target = workdir / f"{index:05d}{suffix}"
                size = 0
                with archive.open(info) as stream, target.open("wb") as dest:
                    while chunk := stream.read(CHUNK):
                        size += len(chunk)
                        written += len(chunk)
                        if size > info.file_size or written > max_total_bytes:
                            raise FileRejected(
                                archive_name,
                                f"the entry {_short(name)} unpacks to more than its header says",
                            )
                        dest.write(chunk)
                out.append(SourceFile(target, name))
    except zipfile.BadZipFile:
        raise FileRejected(archive_name, "the zip archive is damaged or incomplete") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise FileRejected(
            archive_name, "the zip archive cannot be read (damaged or an unsupported kind)"
        ) from None
    if not out:
        raise FileRejected(archive_name, "the archive holds no files to import here")
    return out


def _short(text: str, limit: int = 120) -> str:
    """A name as it may be shown: printable, and cut to `limit` characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"
