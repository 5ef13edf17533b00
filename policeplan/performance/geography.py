"""Services and selectors for the office's geography: force → BCU → borough → ward → LSOA.

The structure above boroughs (forces and BCUs) is configuration (geography/<area>.toml);
boroughs, wards and LSOAs and their names come from the ONS lookups. After a change the
lookup is published to the warehouse, where crime records are joined to it by LSOA code.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from policeplan.performance.models import Area, AreaLevel, Population
from policeplan.warehouse import names
from policeplan.warehouse.ons import LookupRow, PopulationRow
from policeplan.warehouse.sql import Sql, compose, copy_to_parquet, ident, join

CONFIG_DIR = Path(__file__).with_name("geography")


@dataclass(frozen=True)
class ForceConfig:
    code: str
    name: str
    bcus: dict[str, tuple[str, list[str]]]  # code -> (name, borough codes)
    boroughs: list[str]  # boroughs directly under the force (no BCU)

    @property
    def all_boroughs(self) -> list[str]:
        return [b for _, codes in self.bcus.values() for b in codes] + self.boroughs


def config(name: str | None = None) -> list[ForceConfig]:
    data = tomllib.loads(
        (CONFIG_DIR / f"{name or settings.GEOGRAPHY}.toml").read_text(encoding="utf-8")
    )
    return [
        ForceConfig(
            code=f["code"],
            name=f["name"],
            bcus={b["code"]: (b["name"], list(b["boroughs"])) for b in f.get("bcus", [])},
            boroughs=list(f.get("boroughs", [])),
        )
        for f in data["forces"]
    ]


def configured_tiles(name: str | None = None) -> list[Any]:
    """The configuration's own tile map of the boroughs, if it has one."""
    from policeplan.warehouse.ons import Tile

    data = tomllib.loads(
        (CONFIG_DIR / f"{name or settings.GEOGRAPHY}.toml").read_text(encoding="utf-8")
    )
    return [
        Tile(code, label, int(x), int(y)) for code, (x, y, label) in data.get("tiles", {}).items()
    ]


def configured_borough_names(name: str | None = None) -> dict[str, str]:
    data = tomllib.loads(
        (CONFIG_DIR / f"{name or settings.GEOGRAPHY}.toml").read_text(encoding="utf-8")
    )
    return dict(data.get("borough_names", {}))


def lad_codes() -> set[str]:
    return {code for force in config() for code in force.all_boroughs}


def _upsert(level: str, code: str, name: str, parent: Area | None, vintage: str = "") -> Area:
    area, _ = Area.objects.update_or_create(
        level=level, code=code, vintage=vintage, defaults={"name": name, "parent": parent}
    )
    return area


@transaction.atomic
def geography_apply_lookup(*, rows: list[LookupRow]) -> dict[str, int]:
    """Create or update the configured forces and BCUs, and the boroughs, wards and LSOAs in
    `rows`. LSOAs sit under their ward where the lookup gives one, else their borough."""
    borough_names = {**configured_borough_names(), **{r.lad_code: r.lad_name for r in rows}}
    boroughs: dict[str, Area] = {}
    for force in config():
        force_area = _upsert(AreaLevel.FORCE, force.code, force.name, None)
        parents = dict.fromkeys(force.boroughs, force_area)
        for code, (name, codes) in force.bcus.items():
            bcu = _upsert(AreaLevel.BCU, code, name, force_area)
            parents.update(dict.fromkeys(codes, bcu))
        for code, parent in parents.items():
            known = Area.objects.filter(level=AreaLevel.BOROUGH, code=code).first()
            name = borough_names.get(code) or (known.name if known else code)
            boroughs[code] = _upsert(AreaLevel.BOROUGH, code, name, parent)

    wards: dict[str, Area] = {a.code: a for a in Area.objects.filter(level=AreaLevel.WARD)}
    new_wards = {(r.ward_code, r.ward_name, r.lad_code) for r in rows if r.ward_code}
    for code, name, lad in new_wards:
        wards[code] = _upsert(AreaLevel.WARD, code, name, boroughs.get(lad), "2024")

    existing = {
        (a.code, a.vintage): a
        for a in Area.objects.filter(level=AreaLevel.LSOA).select_related("parent")
    }
    ward_of_2021 = {
        r.lsoa_code: r.ward_code for r in rows if r.lsoa_vintage == "2021" and r.ward_code
    }
    for known in existing.values():
        if (
            known.vintage == "2021"
            and known.code not in ward_of_2021
            and known.parent
            and known.parent.level == AreaLevel.WARD
        ):
            ward_of_2021[known.code] = known.parent.code
    to_create: list[Area] = []
    to_update: list[Area] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row.lsoa_code, row.lsoa_vintage)
        if key in seen:
            continue
        seen.add(key)
        ward_code = row.ward_code or ward_of_2021.get(row.lsoa21_code or row.lsoa_code, "")
        lsoa_parent = wards.get(ward_code) or boroughs.get(row.lad_code)
        if key in existing:
            lsoa = existing[key]
            successor = row.lsoa21_code or lsoa.successor_code
            parent_id = lsoa_parent.pk if lsoa_parent else None
            if (lsoa.name, lsoa.parent_id, lsoa.successor_code) != (
                row.lsoa_name,
                parent_id,
                successor,
            ):
                lsoa.name, lsoa.parent, lsoa.successor_code = row.lsoa_name, lsoa_parent, successor
                to_update.append(lsoa)
        else:
            to_create.append(
                Area(
                    level=AreaLevel.LSOA,
                    code=row.lsoa_code,
                    vintage=row.lsoa_vintage,
                    name=row.lsoa_name,
                    parent=lsoa_parent,
                    successor_code=row.lsoa21_code,
                )
            )
    Area.objects.bulk_create(to_create, batch_size=2000)
    Area.objects.bulk_update(to_update, ["name", "parent", "successor_code"], batch_size=2000)
    _place_2011_lsoas_in_wards()
    return {
        "boroughs": len(boroughs),
        "wards": len(new_wards),
        "lsoas_created": len(to_create),
        "lsoas_updated": len(to_update),
    }


def _place_2011_lsoas_in_wards() -> None:
    """A 2011 LSOA sits in the ward of the 2021 LSOA it became (whichever lookup came first)."""
    ward_of = dict(
        Area.objects.filter(
            level=AreaLevel.LSOA, vintage="2021", parent__level=AreaLevel.WARD
        ).values_list("code", "parent_id")
    )
    moved = []
    for lsoa in Area.objects.filter(level=AreaLevel.LSOA, vintage="2011").exclude(
        successor_code=""
    ):
        ward = ward_of.get(lsoa.successor_code)
        if ward and lsoa.parent_id != ward:
            lsoa.parent_id = ward
            moved.append(lsoa)
    Area.objects.bulk_update(moved, ["parent"], batch_size=2000)


def lookup_tables() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per LSOA code (2021 vintage preferred for its ward), and one per borough,
    each with the ward, borough, BCU and force above it."""
    areas = {a.pk: a for a in Area.objects.all()}

    def chain(area: Area) -> dict[str, Any]:
        out: dict[str, Any] = {}
        node: Area | None = area
        while node is not None:
            out[f"{node.level}_code"], out[f"{node.level}_name"] = node.code, node.name
            node = areas.get(node.parent_id) if node.parent_id else None
        return out

    columns = ["ward", "borough", "bcu", "force"]
    lsoas: dict[str, dict[str, Any]] = {}
    for area in sorted(
        (a for a in areas.values() if a.level == AreaLevel.LSOA), key=lambda a: a.vintage
    ):
        row = {
            "lsoa_code": area.code,
            "lsoa_name": area.name,
            **{f"{c}_{k}": None for c in columns for k in ("code", "name")},
        }
        row.update({k: v for k, v in chain(area).items() if not k.startswith("lsoa_")})
        earlier = lsoas.get(area.code)
        row["vintage"] = "both" if earlier else area.vintage  # a code unchanged in 2021 is in both
        lsoas[area.code] = row  # later (2021) vintage wins
    boroughs = []
    for area in (a for a in areas.values() if a.level == AreaLevel.BOROUGH):
        row = {f"{c}_{k}": None for c in ["borough", "bcu", "force"] for k in ("code", "name")}
        row.update(chain(area))
        boroughs.append(row)
    return list(lsoas.values()), boroughs


def geography_publish(*, folder: Path, con: Any) -> None:
    """Write the lookup tables into the staging folder (swapped in with the import)."""
    lsoas, boroughs = lookup_tables()
    for table, rows in (("lsoa", lsoas), ("borough", boroughs)):
        if not rows:
            continue
        target = folder / "geography" / f"table={table}"
        target.mkdir(parents=True, exist_ok=True)
        columns = list(rows[0])  # names written in lookup_tables, quoted all the same
        con.execute(
            compose(
                "CREATE OR REPLACE TEMP TABLE t ({columns})",
                columns=join(compose("{c} VARCHAR", c=ident(c)) for c in columns),
            )
        )
        con.executemany(
            compose("INSERT INTO t VALUES ({p})", p=join(Sql("?") for _ in columns)),
            [[r[c] for c in columns] for r in rows],
        )
        copy_to_parquet(con, Sql("SELECT * FROM t"), (target / "data.parquet").as_posix())
        con.execute("DROP TABLE t")


def borough_name_keys() -> dict[str, str]:
    """Normalised borough name → ONS code, for files that name boroughs in words."""
    return {names.normalise(a.name): a.code for a in Area.objects.filter(level=AreaLevel.BOROUGH)}


def force_names() -> dict[str, str]:
    return dict(Area.objects.filter(level=AreaLevel.FORCE).values_list("code", "name"))


@transaction.atomic
def tiles_apply(*, tiles: list[Any], file: str) -> dict[str, int]:
    """Place the boroughs on the tile-grid map."""
    from policeplan.warehouse.errors import FileRejected

    boroughs = {a.code: a for a in Area.objects.filter(level=AreaLevel.BOROUGH)}
    placed = []
    for tile in tiles:
        area = boroughs.get(tile.code)
        if area is not None:
            area.tile_x, area.tile_y, area.tile_label = tile.x, tile.y, tile.label
            placed.append(area)
    if not placed:
        raise FileRejected(
            file,
            "no tile in this layout is one of the office's boroughs: load the ONS lookup first",
        )
    Area.objects.bulk_update(placed, ["tile_x", "tile_y", "tile_label"])
    return {"placed": len(placed)}


@transaction.atomic
def boundaries_apply(*, boundaries: list[Any], file: str) -> dict[str, int]:
    """Store the boroughs' boundaries for maps, replacing any loaded before (all or none)."""
    from policeplan.performance.models import AreaBoundary
    from policeplan.warehouse.errors import FileRejected

    boroughs = {a.code: a for a in Area.objects.filter(level=AreaLevel.BOROUGH)}
    matched = [(boroughs[b.code], b) for b in boundaries if b.code in boroughs]
    if not matched:
        raise FileRejected(
            file,
            "no feature in this file is one of the office's boroughs: load the ONS lookup first",
        )
    AreaBoundary.objects.filter(area__level=AreaLevel.BOROUGH).delete()
    AreaBoundary.objects.bulk_create(
        AreaBoundary(area=area, geometry=b.geometry, source=file) for area, b in matched
    )
    return {"matched": len(matched), "others": len(boundaries) - len(matched)}


@transaction.atomic
def population_apply(*, rows: list[PopulationRow], source: str, file: str) -> dict[str, Any]:
    """Store estimates for the office's areas; LSOA estimates are also summed to boroughs."""
    from policeplan.warehouse.errors import FileRejected

    areas: dict[tuple[str, str], Area] = {}
    for area in Area.objects.filter(level__in=[AreaLevel.LSOA, AreaLevel.BOROUGH]):
        key = names.normalise(area.name) if area.level == AreaLevel.BOROUGH else area.code
        areas.setdefault((area.level, key), area)
        areas.setdefault((area.level, area.code), area)
    if not areas:
        raise FileRejected(
            file, "load the ONS lookup first, so that estimates can be matched to areas"
        )
    by_pk = {a.pk: a for a in Area.objects.filter(level__in=[AreaLevel.WARD, AreaLevel.BOROUGH])}
    values: dict[tuple[int, int], int] = {}
    borough_sums: dict[tuple[int, int], int] = defaultdict(int)
    matched = 0
    unknown_lines: list[int] = []
    for row in rows:
        key = row.code if row.level == "lsoa" else names.normalise(row.code)
        found = areas.get((row.level, key))
        if found is None:  # outside the office's area: counted, and the first lines kept
            if len(unknown_lines) < 20:
                unknown_lines.append(row.line)
            continue
        area = found
        matched += 1
        values[(area.pk, row.year)] = row.value
        if row.level == "lsoa" and area.parent_id:
            borough = _borough_of(area, by_pk)
            if borough is not None:
                borough_sums[(borough.pk, row.year)] += row.value
    if not matched:
        raise FileRejected(file, "no row of this file is for one of the office's areas")
    for (pk, year), value in borough_sums.items():
        values.setdefault((pk, year), value)
    Population.objects.filter(source=source, area_id__in={pk for pk, _ in values}).delete()
    Population.objects.bulk_create(
        [
            Population(area_id=pk, year=year, value=value, source=source)
            for (pk, year), value in values.items()
        ],
        batch_size=2000,
    )
    return {
        "rows": len(rows),
        "matched": matched,
        "stored": len(values),
        "unknown": len(rows) - matched,
        "unknown_lines": unknown_lines,
    }


def _borough_of(area: Area, by_pk: dict[int, Area]) -> Area | None:
    node: Area | None = area
    while node is not None and node.level != AreaLevel.BOROUGH:
        node = by_pk.get(node.parent_id) if node.parent_id else None
    return node
