"""Make the malformed-file corpus from small slices of the real files in ../shared/data.

    .venv/bin/python tests/security/malformed/make_corpus.py [SHARED_DATA]

Each case is a real file cut down to a few dozen rows, then damaged in one way (cut short,
wrong header, NUL bytes, not UTF-8, a byte-order mark, Windows line ends, formula cells, an
overlong value, a row with a field too many or too few, an unclosed quote, every row bad, zip
archives with climbing, absolute or repeated names, a zip bomb, ...). The expected outcome of
each, written here by hand from what a person needs, goes to manifest.json beside the files:
refused with words the message must hold, or accepted with the rows it must report. The test
tests/security/test_malformed_corpus.py runs every case through its importer.

The output is the same every time (no randomness, fixed zip timestamps).
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "files"
REPO = HERE.parents[2]
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def lines_of(path: Path, count: int, *, keep: str = "") -> list[bytes]:
    """The header and the first `count` rows (holding `keep`, when given) of a real file,
    without its byte-order mark and with plain line breaks (cases add those back)."""
    out: list[bytes] = []
    with path.open("rb") as handle:
        out.append(handle.readline().removeprefix(b"\xef\xbb\xbf"))
        for line in handle:
            if keep and keep.encode() not in line:
                continue
            out.append(line)
            if len(out) > count:
                break
    return [line.replace(b"\r\n", b"\n") for line in out]


class Corpus:
    def __init__(self) -> None:
        self.cases: list[dict] = []

    def add(self, kind: str, case: str, name: str, data: bytes, expect: dict) -> None:
        stored = f"{len(self.cases):03d}-{case}"
        folder = OUT / stored
        folder.mkdir(parents=True)
        (folder / name).write_bytes(data)
        self.cases.append(
            {"id": stored, "kind": kind, "file": f"{stored}/{name}", "name": name, **expect}
        )


def refused(*words: str, line: int | None = None, field: str = "") -> dict:
    expect: dict = {"outcome": "refused", "message_contains": list(words)}
    if line is not None:
        expect["line"] = line
    if field:
        expect["field"] = field
    return expect


def accepted(rows_read: int, rows_accepted: int | None = None) -> dict:
    return {
        "outcome": "accepted",
        "rows_read": rows_read,
        "rows_accepted": rows_read if rows_accepted is None else rows_accepted,
    }


def zipped(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def lying_zip(name: str, data: bytes, claimed: int) -> bytes:
    """A zip whose headers say the entry is `claimed` bytes when it is bigger."""
    raw = bytearray(zipped([(name, data)]))
    real = struct.pack("<I", len(data))
    fake = struct.pack("<I", claimed)
    # The size sits after the CRC and compressed size, in both the local and central headers.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature)
        assert raw[at + offset : at + offset + 4] == real
        raw[at + offset : at + offset + 4] = fake
    return bytes(raw)


def csv_cases(
    corpus: Corpus,
    kind: str,
    name: str,
    rows: list[bytes],
    *,
    delimiter: bytes = b",",
    text_column: int,
    every_row_bad: tuple[int, bytes],
    every_row_words: tuple[str, ...],
    accepted_rows: int | None = None,
    huge: bool = True,
    formula_rejects: int = 0,
) -> None:
    """The damage every CSV importer must meet, applied to one real slice.

    text_column: a column holding free text (where a formula or long value can go);
    every_row_bad: (column, value) that makes a row unusable when put in every row."""
    header, body = rows[0], rows[1:]
    n = len(body)
    whole = b"".join(rows)
    ok = accepted(n, accepted_rows)

    def cells(line: bytes) -> list[bytes]:
        return line.rstrip(b"\r\n").split(delimiter)

    def rebuild(line: bytes, column: int, value: bytes) -> bytes:
        parts = cells(line)
        parts[column] = value
        return delimiter.join(parts) + b"\n"

    short = kind.replace("-", "_")
    corpus.add(kind, f"{short}-as-published", name, whole, ok)
    corpus.add(kind, f"{short}-header-only", name, header, refused("header but no rows"))
    corpus.add(kind, f"{short}-empty", name, b"", refused("empty"))
    corpus.add(
        kind, f"{short}-cut-in-last-field", name, whole.rstrip(b"\n")[:-3], refused("truncated")
    )
    cut_row = whole[: len(whole) - len(body[-1]) + len(body[-1]) // 3]
    corpus.add(kind, f"{short}-cut-mid-row", name, cut_row, refused("truncated"))
    wrong = header.replace(cells(header)[0], b"Something else", 1)
    corpus.add(
        kind, f"{short}-wrong-header", name, wrong + b"".join(body), refused("Something else")
    )
    corpus.add(kind, f"{short}-no-header", name, b"".join(body), refused("line 1"))
    nul = [header, *body]
    nul[3] = rebuild(nul[3], text_column, b"ab\x00cd")
    corpus.add(kind, f"{short}-nul-byte", name, b"".join(nul), refused("NUL", line=4))
    latin = [header, *body]
    latin[4] = rebuild(latin[4], text_column, "Café".encode("latin-1"))
    corpus.add(kind, f"{short}-latin-1", name, b"".join(latin), refused("UTF-8"))
    corpus.add(kind, f"{short}-bom", name, b"\xef\xbb\xbf" + whole, ok)
    corpus.add(kind, f"{short}-crlf", name, whole.replace(b"\n", b"\r\n"), ok)
    corpus.add(kind, f"{short}-blank-line-at-end", name, whole + b"\n", ok)
    formula = [header, *body]
    formula[2] = rebuild(formula[2], text_column, b'"=HYPERLINK(""http://x"",""y"")"')
    formula[5] = rebuild(formula[5], text_column, b"@SUM(1+1)")
    corpus.add(
        kind,
        f"{short}-formula-cells",
        name,
        b"".join(formula),
        accepted(n, (n if accepted_rows is None else accepted_rows) - formula_rejects),
    )
    if huge:
        long = [header, *body]
        long[6] = rebuild(long[6], text_column, b"x" * 200_000)
        corpus.add(kind, f"{short}-overlong-value", name, b"".join(long), refused("longer", line=7))
    extra = [header, *body]
    extra[3] = extra[3].rstrip(b"\r\n") + delimiter + b"stray\n"
    corpus.add(kind, f"{short}-extra-field", name, b"".join(extra), refused("fields", line=4))
    missing = [header, *body]
    missing[5] = delimiter.join(cells(missing[5])[:-2]) + b"\n"
    corpus.add(kind, f"{short}-missing-fields", name, b"".join(missing), refused("fields", line=6))
    quote = [header, *body]
    quote[-1] = rebuild(quote[-1], text_column, b'"never closed')
    corpus.add(kind, f"{short}-unclosed-quote", name, b"".join(quote), refused(""))
    column, value = every_row_bad
    bad = [header, *(rebuild(line, column, value) for line in body)]
    corpus.add(kind, f"{short}-every-row-bad", name, b"".join(bad), refused(*every_row_words))
    corpus.add(kind, f"{short}-binary", name, bytes(range(256)) * 8, refused(""))
    corpus.add(kind, f"{short}-zip", name[:-4] + ".zip", zipped([(name, whole)]), ok)
    corpus.add(
        kind,
        f"{short}-zip-climbing",
        name[:-4] + ".zip",
        zipped([("../" + name, whole)]),
        refused("climbs out"),
    )
    corpus.add(
        kind,
        f"{short}-zip-absolute",
        name[:-4] + ".zip",
        zipped([("/etc/" + name, whole)]),
        refused("absolute path"),
    )
    corpus.add(
        kind,
        f"{short}-zip-same-name-twice",
        name[:-4] + ".zip",
        zipped([("a/" + name, whole), ("b/" + name, whole)]),
        refused("two entries"),
    )
    corpus.add(
        kind,
        f"{short}-zip-cut",
        name[:-4] + ".zip",
        zipped([(name, whole)])[:-40],
        refused("damaged"),
    )


def main(shared: Path) -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    corpus = Corpus()
    police = shared / "police-uk"

    street = "2017-01-city-of-london-street.csv"
    rows = lines_of(police / "city-of-london" / "street" / street, 30)
    csv_cases(
        corpus,
        "police-uk",
        street,
        rows,
        text_column=6,
        every_row_bad=(1, b"2017-13"),
        every_row_words=("every one of", "unparseable month", "Month"),
    )
    outcomes = "2019-04-metropolitan-outcomes.csv"
    rows = lines_of(police / "metropolitan" / "outcomes" / outcomes, 30, keep="E01")
    csv_cases(
        corpus,
        "police-uk",
        outcomes,
        rows,
        text_column=6,
        every_row_bad=(1, b"2019-05"),
        every_row_words=("every one of", "month is not 2019-04", "Month"),
        huge=False,
    )
    search = "2022-10-metropolitan-stop-and-search.csv"
    rows = lines_of(police / "metropolitan" / "stop-and-search" / search, 30)
    csv_cases(
        corpus,
        "police-uk",
        search,
        rows,
        text_column=12,
        every_row_bad=(1, b"not a date"),
        every_row_words=("every one of", "unparseable date", "Date"),
        huge=False,
    )
    # data.police.uk files whose names and columns disagree.
    street_rows = lines_of(police / "city-of-london" / "street" / street, 30)
    corpus.add(
        "police-uk",
        "street-named-outcomes",
        "2017-01-city-of-london-outcomes.csv",
        b"".join(street_rows),
        refused("name says outcomes", "street-level crime", line=1),
    )
    corpus.add(
        "police-uk",
        "street-file-of-another-month",
        "2017-02-city-of-london-street.csv",
        b"".join(street_rows),
        refused("every one of", "month is not 2017-02"),
    )
    corpus.add(
        "police-uk",
        "street-zip-two-copies-of-a-month",
        "2017-01.zip",
        zipped(
            [
                ("2017-01/" + street, b"".join(street_rows)),
                ("copy/" + street, b"".join(street_rows)),
            ]
        ),
        refused("two entries"),
    )
    corpus.add(
        "police-uk",
        "street-zip-bomb",
        "2017-01.zip",
        zipped(
            [
                (street, b"".join(street_rows)),
                ("2017-01-city-of-london-outcomes.csv", b"\0" * 60_000_000),
            ]
        ),
        refused("zip bomb"),
    )
    corpus.add(
        "police-uk",
        "street-zip-lying-sizes",
        "2017-01.zip",
        lying_zip(street, b"".join(street_rows), 100),
        refused("damaged"),
    )
    corpus.add(
        "police-uk",
        "street-zip-nothing-to-import",
        "2017-01.zip",
        zipped([("README.txt", b"nothing here\n")]),
        refused("no files to import"),
    )

    mps = shared / "mps-recorded-crime"
    rows = lines_of(mps / "borough" / "mps_borough_recent.csv", 25)
    csv_cases(
        corpus,
        "mps-crime",
        "mps_borough_recent.csv",
        rows,
        text_column=1,
        every_row_bad=(5, b"lots"),
        every_row_words=("every one of", "whole number", "month"),
        accepted_rows=25,
    )
    rows = lines_of(mps / "ward" / "MPSCrime.csv", 25, keep="E05")
    csv_cases(
        corpus,
        "mps-crime",
        "MPSCrime.csv",
        rows,
        text_column=2,
        every_row_bad=(6, b"-3"),
        every_row_words=("every one of", "whole number"),
        huge=False,
    )

    rows = lines_of(shared / "mopac-pas" / "PAS_buroughs.csv", 30)
    csv_cases(
        corpus,
        "pas",
        "PAS_buroughs.csv",
        rows,
        delimiter=b";",
        text_column=1,
        every_row_bad=(4, b"1,7"),
        every_row_words=("every one of", "proportion", "Proportion"),
    )

    ons = shared / "ons"
    lookup = "LSOA_(2021)_to_Electoral_Ward_(2024)_to_LAD_(2024)_Best_Fit_Lookup_in_EW.csv"
    rows = lines_of(ons / "lookups" / lookup, 40, keep=",E09")
    csv_cases(
        corpus,
        "ons-lookup",
        lookup,
        rows,
        text_column=1,
        every_row_bad=(3, b"X05000001"),
        every_row_words=("not a ward code", "WD24CD"),
    )
    rows = lines_of(ons / "population-lsoa" / "london-mid2019-pop.csv", 30)
    csv_cases(
        corpus,
        "population",
        "london-mid2019-pop.csv",
        rows,
        text_column=1,
        every_row_bad=(6, b"many"),
        every_row_words=("not a whole number", "Persons_All-Ages"),
    )
    outside = [rows[0], *rows[1:11]]
    outside += [
        b"W01000001,Anglesey 001A,W02000001,Anglesey 001,W06000001,Anglesey,1500"
        + b",0" * (len(rows[0].split(b",")) - 7)
        + b"\n"
    ] * 3
    corpus.add(
        "population",
        "population-rows-outside-the-office",
        "london-mid2019-pop.csv",
        b"".join(outside),
        accepted(13, 10),
    )
    rows = lines_of(ons / "population-borough" / "population_clean.csv", 30)
    csv_cases(
        corpus,
        "population",
        "population_clean.csv",
        rows,
        text_column=0,
        every_row_bad=(0, b"Atlantis"),
        every_row_words=("office's areas",),
        huge=False,
        formula_rejects=2,  # a formula where a borough's name belongs names no borough
    )

    grid = (shared / "geography" / "tile-grid" / "grid.csv").read_bytes()  # no final line break
    grid_rows = grid.splitlines(keepends=True)
    corpus.add(
        "tile-grid", "tile-grid-as-published", "grid.csv", grid, accepted(len(grid_rows) - 1)
    )
    corpus.add(
        "tile-grid",
        "tile-grid-borough-twice",
        "grid.csv",
        grid + b"\n" + grid_rows[1].replace(b",4,0,", b",9,9,"),
        refused("placed twice", field="code"),
    )
    corpus.add(
        "tile-grid",
        "tile-grid-two-in-one-cell",
        "grid.csv",
        grid_rows[0]
        + grid_rows[1]
        + grid_rows[2].replace(b",2,1,", b",4,0,")
        + b"".join(grid_rows[3:]),
        refused("taken already", line=3),
    )
    corpus.add(
        "tile-grid",
        "tile-grid-header-only",
        "grid.csv",
        grid_rows[0],
        refused("header but no rows"),
    )
    corpus.add(
        "tile-grid",
        "tile-grid-not-a-number",
        "grid.csv",
        grid.replace(b",4,0,", b",four,0,", 1),
        refused("not a whole number", line=2, field="x"),
    )
    corpus.add(
        "tile-grid",
        "tile-grid-cut",
        "grid.csv",
        grid.rstrip(b"\n")[: -len(grid_rows[-1]) // 2],
        refused("truncated"),
    )

    geo = (shared / "geography" / "boundaries" / "london-boroughs_1179.geojson").read_bytes()
    boroughs = json.loads(geo)
    features = len(boroughs["features"])
    corpus.add("boundaries", "geojson-as-published", "boroughs.geojson", geo, accepted(features))
    corpus.add(
        "boundaries", "geojson-bom", "boroughs.geojson", b"\xef\xbb\xbf" + geo, accepted(features)
    )
    corpus.add(
        "boundaries",
        "geojson-cut",
        "boroughs.geojson",
        geo[: len(geo) // 2],
        refused("not valid JSON"),
    )
    deep = b'{"type": "FeatureCollection", "features": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    corpus.add("boundaries", "geojson-200000-deep", "deep.geojson", deep, refused("nested"))
    corpus.add(
        "boundaries",
        "geojson-not-json",
        "boroughs.geojson",
        b"\x89PNG\r\n\x1a\n" + geo[:200],
        refused("UTF-8"),
    )
    corpus.add(
        "boundaries",
        "geojson-not-a-collection",
        "boroughs.geojson",
        json.dumps(boroughs["features"][0]).encode(),
        refused("FeatureCollection"),
    )
    no_code = json.loads(geo)
    no_code["features"][2]["properties"] = {"name": "Nowhere " * 5000}
    corpus.add(
        "boundaries",
        "geojson-feature-without-code",
        "boroughs.geojson",
        json.dumps(no_code).encode(),
        refused("feature 3", "ONS area code"),
    )
    twice = json.loads(geo)
    twice["features"].append(twice["features"][0])
    corpus.add(
        "boundaries",
        "geojson-borough-twice",
        "boroughs.geojson",
        json.dumps(twice).encode(),
        refused("appears twice"),
    )
    odd = json.loads(geo)
    odd["features"][1] = ["not", "a", "feature"]
    corpus.add(
        "boundaries",
        "geojson-feature-not-an-object",
        "boroughs.geojson",
        json.dumps(odd).encode(),
        refused("feature 2"),
    )
    points = json.loads(geo)
    points["features"][0]["geometry"] = {"type": "Point", "coordinates": [0, 51]}
    corpus.add(
        "boundaries",
        "geojson-point",
        "boroughs.geojson",
        json.dumps(points).encode(),
        refused("Polygon"),
    )
    grid_coords = json.loads(geo)
    grid_coords["features"][0]["geometry"]["coordinates"] = [
        [[530000, 180000], [531000, 180000], [531000, 181000], [530000, 180000]]
    ]
    grid_coords["features"][0]["geometry"]["type"] = "Polygon"
    corpus.add(
        "boundaries",
        "geojson-british-national-grid",
        "boroughs.geojson",
        json.dumps(grid_coords).encode(),
        refused("WGS84"),
    )
    corpus.add(
        "boundaries",
        "geojson-zip-climbing",
        "boroughs.zip",
        zipped([("../../boroughs.geojson", geo)]),
        refused("climbs out"),
    )

    manifest = {
        "about": (
            "Malformed files made from slices of the real files in shared/data by "
            "make_corpus.py; each with the outcome a person needs"
        ),
        "cases": corpus.cases,
    }
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(corpus.cases)} cases written to {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
