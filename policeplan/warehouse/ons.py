"""ONS lookups (LSOA → ward → local authority) and population estimates, read as plain rows
for the application to turn into its areas."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from policeplan.warehouse import csvfile, schemas
from policeplan.warehouse.errors import FileRejected, shown


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


def lookup_kind(path: Path, name: str = "") -> str:
    name = name or path.name
    header = csvfile.read_header(path, name=name)
    if all(c in header for c in schemas.ONS_LSOA11_LSOA21_LAD):
        return "lsoa11-lsoa21-lad"
    if all(c in header for c in schemas.ONS_LSOA21_WARD_LAD):
        return "lsoa21-ward-lad"
    raise FileRejected(
        name,
        "not an ONS lookup this service knows. Expected the columns of either the LSOA (2011) to "
        f"LSOA (2021) to LAD lookup ({', '.join(schemas.ONS_LSOA11_LSOA21_LAD)}) or the LSOA (2021) to "
        f"ward to LAD lookup ({', '.join(schemas.ONS_LSOA21_WARD_LAD)}). Found: {shown(', '.join(header), 100)}",
        line=1,
    )


def _rows(path: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    return csvfile.dict_rows(path, name=name)


def read_lookup(path: Path, lad_codes: set[str], name: str = "") -> list[LookupRow]:
    """The rows whose local authority is one of `lad_codes` (every row checked for its codes)."""
    name = name or path.name
    kind = lookup_kind(path, name)
    out = []
    seen_any = False
    for line, row in _rows(path, name):
        seen_any = True
        if kind == "lsoa11-lsoa21-lad":
            lad = row["LAD22CD"]
            if lad not in lad_codes:
                continue
            for field in ("LSOA11CD", "LSOA21CD"):
                if not row[field].startswith(("E01", "W01")):
                    raise FileRejected(
                        name, f"‘{shown(row[field])}’ is not an LSOA code", line=line, field=field
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
                    name, f"‘{shown(row['WD24CD'])}’ is not a ward code", line=line, field="WD24CD"
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
    if not seen_any:
        raise FileRejected(name, "the file has a header but no rows", line=2)
    if not out:
        raise FileRejected(
            name, "no row in this lookup is in the office's area (its local authorities)"
        )
    return out


@dataclass(frozen=True)
class Tile:
    code: str
    label: str
    x: int
    y: int


def read_tile_grid(path: Path, name: str = "") -> list[Tile]:
    """A square tile-grid layout (such as London Squared): code, x, y and a short label per area."""
    name = name or path.name
    header = [c.strip() for c in csvfile.read_header(path, name=name)]
    if not {"code", "x", "y"} <= set(header):
        raise FileRejected(
            name,
            f"a tile grid needs the columns code, x and y; found {shown(', '.join(header), 300)}",
            line=1,
        )
    tiles = []
    seen_codes: dict[str, int] = {}
    seen_cells: dict[tuple[int, int], int] = {}
    for line, raw in _rows(path, name):
        row = {k.strip(): v.strip() for k, v in raw.items()}
        for field in ("x", "y"):
            if not row.get(field, "").isdigit():
                raise FileRejected(
                    name,
                    f"‘{shown(row.get(field, ''))}’ is not a whole number",
                    line=line,
                    field=field,
                )
        code = row["code"]
        if code in seen_codes:
            raise FileRejected(
                name,
                f"{shown(code)} is placed twice (also on line {seen_codes[code]})",
                line=line,
                field="code",
            )
        cell = (int(row["x"]), int(row["y"]))
        if cell in seen_cells:
            raise FileRejected(
                name,
                f"the tile at x {cell[0]}, y {cell[1]} is taken already (line {seen_cells[cell]})",
                line=line,
                field="x",
            )
        seen_codes[code], seen_cells[cell] = line, line
        label = row.get("LSAbbreviation") or row.get("abbreviation") or code[-3:]
        tiles.append(Tile(code, label.upper(), cell[0], cell[1]))
    if not tiles:
        raise FileRejected(name, "the file has a header but no rows", line=2)
    return tiles


@dataclass(frozen=True)
class PopulationRow:
    code: str  # LSOA code, or borough name for the borough series
    level: str  # "lsoa" or "borough"
    year: int
    value: int
    line: int


def read_population(path: Path, name: str = "") -> tuple[list[PopulationRow], str]:
    """Rows and a description of the estimate. The year of an LSOA file comes from its name."""
    name = name or path.name
    header = csvfile.read_header(path, name=name)
    rows = []
    if all(c in header for c in schemas.POPULATION_LSOA):
        digits = "".join(ch for ch in Path(name).stem if ch.isdigit())
        year = int(digits[-4:]) if len(digits) >= 4 else 0
        if not 1990 <= year <= 2100:
            raise FileRejected(
                name,
                "the file name must say the year of the estimate, like london-mid2019-pop.csv",
            )
        for line, row in _rows(path, name):
            rows.append(
                PopulationRow(
                    row["LSOA11CD"], "lsoa", year, _count(name, line, row, "Persons_All-Ages"), line
                )
            )
        _some(rows, name)
        return rows, f"ONS mid-{year} LSOA population estimates (2011 LSOAs)"
    if tuple(header[:3]) == schemas.POPULATION_BOROUGH:
        for line, row in _rows(path, name):
            year = _count(name, line, row, "year")
            rows.append(
                PopulationRow(
                    row["borough"], "borough", year, _count(name, line, row, "population"), line
                )
            )
        _some(rows, name)
        return rows, "ONS mid-year estimates by borough (post-2021 Census series)"
    raise FileRejected(
        name,
        "not a population file this service knows: expected LSOA estimates "
        f"({', '.join(schemas.POPULATION_LSOA)}, …) or a borough series ({', '.join(schemas.POPULATION_BOROUGH)}). "
        f"Found: {shown(', '.join(header[:6]), 100)}",
        line=1,
    )


def _some(rows: list[PopulationRow], name: str) -> None:
    if not rows:
        raise FileRejected(name, "the file has a header but no rows", line=2)


def _count(name: str, line: int, row: dict[str, str], field: str) -> int:
    value = (row.get(field) or "").replace(",", "").strip()
    if not value.isdigit():
        raise FileRejected(
            name, f"‘{shown(row.get(field))}’ is not a whole number", line=line, field=field
        )
    return int(value)
