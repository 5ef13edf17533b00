"""ONS lookups (LSOA → ward → local authority) and population estimates, read as plain rows
for the application to turn into its areas."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policeplan.warehouse import csvfile, schemas
from policeplan.warehouse.errors import FileRejected


@dataclass(frozen=True)
class LookupRow:
    lsoa_code: str
    lsoa_name: str
    lsoa_vintage: str
    lad_code: str
    lad_name: str
    ward_code: str = ""
    ward_name: str = ""
    lsoa21_code: str = ""  # for 2011 LSOAs: the 2021 LSOA it became


def lookup_kind(path: Path) -> str:
    header = csvfile.read_header(path)
    if all(c in header for c in schemas.ONS_LSOA11_LSOA21_LAD):
        return "lsoa11-lsoa21-lad"
    if all(c in header for c in schemas.ONS_LSOA21_WARD_LAD):
        return "lsoa21-ward-lad"
    raise FileRejected(
        path.name,
        "not an ONS lookup this service knows. Expected the columns of either the LSOA (2011) to "
        f"LSOA (2021) to LAD lookup ({', '.join(schemas.ONS_LSOA11_LSOA21_LAD)}) or the LSOA (2021) to "
        f"ward to LAD lookup ({', '.join(schemas.ONS_LSOA21_WARD_LAD)}). Found: {', '.join(header)}",
        line=1,
    )


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from enumerate(csv.DictReader(handle), start=2)


def read_lookup(path: Path, lad_codes: set[str]) -> list[LookupRow]:
    """The rows whose local authority is one of `lad_codes` (every row checked for its codes)."""
    kind = lookup_kind(path)
    out = []
    for line, row in _rows(path):
        if kind == "lsoa11-lsoa21-lad":
            lad = row["LAD22CD"]
            if lad not in lad_codes:
                continue
            for field in ("LSOA11CD", "LSOA21CD"):
                if not row[field].startswith(("E01", "W01")):
                    raise FileRejected(
                        path.name, f"‘{row[field]}’ is not an LSOA code", line=line, field=field
                    )
            out.append(
                LookupRow(
                    row["LSOA11CD"],
                    row["LSOA11NM"],
                    "2011",
                    lad,
                    row["LAD22NM"],
                    lsoa21_code=row["LSOA21CD"],
                )
            )
            out.append(LookupRow(row["LSOA21CD"], row["LSOA21NM"], "2021", lad, row["LAD22NM"]))
        else:
            lad = row["LAD24CD"]
            if lad not in lad_codes:
                continue
            if not row["WD24CD"].startswith(("E05", "W05")):
                raise FileRejected(
                    path.name, f"‘{row['WD24CD']}’ is not a ward code", line=line, field="WD24CD"
                )
            out.append(
                LookupRow(
                    row["LSOA21CD"],
                    row["LSOA21NM"],
                    "2021",
                    lad,
                    row["LAD24NM"],
                    row["WD24CD"],
                    row["WD24NM"],
                )
            )
    if not out:
        raise FileRejected(
            path.name, "no row in this lookup is in the office's area (its local authorities)"
        )
    return out


@dataclass(frozen=True)
class Tile:
    code: str
    label: str
    x: int
    y: int


def read_tile_grid(path: Path) -> list[Tile]:
    """A square tile-grid layout (such as London Squared): code, x, y and a short label per area."""
    header = [c.strip() for c in csvfile.read_header(path)]
    if not {"code", "x", "y"} <= set(header):
        raise FileRejected(
            path.name,
            f"a tile grid needs the columns code, x and y; found {', '.join(header)}",
            line=1,
        )
    tiles = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for line, raw in enumerate(reader, start=2):
            row = {k: v.strip() for k, v in zip(header, raw, strict=False)}
            for field in ("x", "y"):
                if not row.get(field, "").isdigit():
                    raise FileRejected(
                        path.name,
                        f"‘{row.get(field)}’ is not a whole number",
                        line=line,
                        field=field,
                    )
            label = row.get("LSAbbreviation") or row.get("abbreviation") or row["code"][-3:]
            tiles.append(Tile(row["code"], label.upper(), int(row["x"]), int(row["y"])))
    return tiles


@dataclass(frozen=True)
class PopulationRow:
    code: str  # LSOA code, or borough name for the borough series
    level: str  # "lsoa" or "borough"
    year: int
    value: int
    line: int


def read_population(path: Path) -> tuple[list[PopulationRow], str]:
    """Rows and a description of the estimate. The year of an LSOA file comes from its name."""
    header = csvfile.read_header(path)
    rows = []
    if all(c in header for c in schemas.POPULATION_LSOA):
        digits = "".join(ch for ch in path.stem if ch.isdigit())
        year = int(digits[-4:]) if len(digits) >= 4 else 0
        if not 1990 <= year <= 2100:
            raise FileRejected(
                path.name,
                "the file name must say the year of the estimate, like london-mid2019-pop.csv",
            )
        for line, row in _rows(path):
            rows.append(
                PopulationRow(
                    row["LSOA11CD"], "lsoa", year, _count(path, line, row, "Persons_All-Ages"), line
                )
            )
        return rows, f"ONS mid-{year} LSOA population estimates (2011 LSOAs)"
    if tuple(header[:3]) == schemas.POPULATION_BOROUGH:
        for line, row in _rows(path):
            year = _count(path, line, row, "year")
            rows.append(
                PopulationRow(
                    row["borough"], "borough", year, _count(path, line, row, "population"), line
                )
            )
        return rows, "ONS mid-year estimates by borough (post-2021 Census series)"
    raise FileRejected(
        path.name,
        "not a population file this service knows: expected LSOA estimates "
        f"({', '.join(schemas.POPULATION_LSOA)}, …) or a borough series ({', '.join(schemas.POPULATION_BOROUGH)}). "
        f"Found: {', '.join(header[:6])}",
        line=1,
    )


def _count(path: Path, line: int, row: dict[str, str], field: str) -> int:
    value = (row.get(field) or "").replace(",", "").strip()
    if not value.isdigit():
        raise FileRejected(
            path.name, f"‘{row.get(field)}’ is not a whole number", line=line, field=field
        )
    return int(value)
