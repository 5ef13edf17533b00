"""The demo's extract of real data is the published data: every committed file has the SHA-256
its provenance records, and (where ../shared/data is present) is identical to its original."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

from policeplan.plans.demo.loader import EXTRACT

ROOT = Path(__file__).resolve().parents[3]
NOT_DATA = {"SHA256SUMS", "PROVENANCE.md", "LICENCE-london-squared.txt", ".gitattributes"}


def _sums() -> dict[str, str]:
    """name (or 'archive!member') -> SHA-256, from SHA256SUMS."""
    out = {}
    for line in (EXTRACT / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        out[name] = digest
    return out


def _members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as handle:
        return {info.filename: handle.read(info) for info in handle.infolist()}


def test_every_file_of_the_extract_has_the_recorded_sha256():
    sums = _sums()
    files = {
        p.relative_to(EXTRACT).as_posix()
        for p in EXTRACT.rglob("*")
        if p.is_file() and p.name not in NOT_DATA
    }
    assert files == {name for name in sums if "!" not in name}  # nothing unlisted, nothing lost
    provenance = (EXTRACT / "PROVENANCE.md").read_text(encoding="utf-8")
    for name, digest in sums.items():
        if "!" in name:
            archive, member = name.split("!")
            data = _members(EXTRACT / archive)[member]
        else:
            data = (EXTRACT / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name
        assert digest in provenance, f"PROVENANCE.md does not give the SHA-256 of {name}"


def test_the_extract_is_small_and_says_whose_it_is_under_which_licence():
    total = sum(p.stat().st_size for p in EXTRACT.rglob("*") if p.is_file())
    assert total < 5_000_000
    provenance = (EXTRACT / "PROVENANCE.md").read_text(encoding="utf-8")
    for words in [
        "Contains public sector information licensed under the Open Government Licence v3.0",
        "data.police.uk",
        "Office for National Statistics",
        "Mayor's Office for Policing and Crime",
        "Metropolitan Police Service",
        "scripts/build-demo-extract ../shared/data",
        "© 2019 After the Flood Ltd",
    ]:
        assert words in provenance, words
    # Stop-and-search months are whole months of calendar 2023, one file each.
    archive = _members(EXTRACT / "police-uk/metropolitan/stop-and-search-2023.zip")
    assert sorted(archive) == [
        f"2023-{m:02d}-metropolitan-stop-and-search.csv" for m in range(1, 13)
    ]


def test_each_file_of_the_extract_has_the_published_original_rows(shared_data):
    for name in _sums():
        if name.endswith(".zip"):
            continue  # the archive itself is ours; its members are compared below
        if "!" in name:
            archive, member = name.split("!")
            copy = _members(EXTRACT / archive)[member]
            original = shared_data / "police-uk/metropolitan/stop-and-search" / member
        else:
            copy, original = (EXTRACT / name).read_bytes(), shared_data / name
        ours, theirs = copy.splitlines(keepends=True), original.read_bytes().splitlines(True)
        parted = next((i for i in range(min(len(ours), len(theirs))) if ours[i] != theirs[i]), None)
        assert parted is None, f"{name} differs from its original at line {parted + 1}"
        assert len(ours) == len(theirs), f"{name} has {len(ours)} lines, not {len(theirs)}"


def test_the_script_builds_exactly_the_committed_extract(shared_data, tmp_path):
    subprocess.run(  # noqa: S603 - the repository's own script, fixed arguments
        [
            sys.executable,
            str(ROOT / "scripts/build-demo-extract"),
            str(shared_data),
            "--out",
            str(tmp_path / "extract"),
        ],
        check=True,
        capture_output=True,
    )
    for name in ["SHA256SUMS", "PROVENANCE.md"]:
        assert (tmp_path / "extract" / name).read_text(encoding="utf-8") == (
            EXTRACT / name
        ).read_text(encoding="utf-8"), name
