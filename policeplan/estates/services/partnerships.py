"""Community safety partnerships: their names and ONS codes from the ONS lookup of local
authorities to CSPs (all or nothing), and their members and contacts from the staff page."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from policeplan.core.roles import Perm, ensure
from policeplan.core.services import audit_record
from policeplan.core.singleline import bad_character
from policeplan.core.uploads import safe_display_name
from policeplan.estates import selectors
from policeplan.estates.models import Partnership

SUFFIX = " Community Safety Partnership"
MAX_NAME = 200 - len(SUFFIX)  # the stored name may have the suffix added


def _columns(header: list[str], shown: str) -> tuple[int, int, int]:
    """Positions of the LAD code, CSP code and CSP name columns (any edition: LAD23CD,
    CSP16NM...)."""

    def find(prefix: str, suffix: str) -> int:
        for i, name in enumerate(header):
            name = name.strip().upper()
            if (
                name.startswith(prefix)
                and name.endswith(suffix)
                and name[len(prefix) : -2].isdigit()
            ):
                return i
        raise ValidationError(f"{shown}, line 1: the header has no {prefix}..{suffix} column")

    return find("LAD", "CD"), find("CSP", "CD"), find("CSP", "NM")


def _bad_cell(cells: tuple[str, str], header: list[str], where: tuple[int, int]) -> str:
    """What is wrong with a row's code and name, as 'field X: ...', or ''."""
    code, name = cells
    if bad_character(code) is not None or bad_character(name) is not None:
        column = header[where[0]] if bad_character(code) is not None else header[where[1]]
        return f"field {column}: a control character or line break is not allowed"
    if not re.fullmatch(r"[EWSN][0-9]{8}", code):
        return f"field {header[where[0]]}: ‘{code[:20]}’ is not an ONS code like E22000187"
    if len(name) > MAX_NAME:
        return f"field {header[where[1]]}: {len(name):,} characters, at most {MAX_NAME}"
    return ""


@transaction.atomic
def partnerships_import(*, user: Any, data: bytes, name: str) -> int:
    """Create or rename each of the force's boroughs' partnerships from the ONS lookup. A
    borough with rows for two partnerships, or missing from the file, refuses the file."""
    ensure(user, Perm.MANAGE_ESTATE)
    shown = safe_display_name(name, limit=80)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(f"{shown}: the file is not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ValidationError(f"{shown}: the file is empty")
    lad, csp, csp_name = _columns(header, shown)
    areas = {a.code: a for a in selectors.boroughs()}
    found: dict[str, tuple[int, str, str]] = {}
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{shown}, line {line}: {len(row)} cells, the header has {len(header)}")
            continue
        code = row[lad].strip()
        if code not in areas:
            continue
        partnership = (row[csp].strip(), row[csp_name].strip())
        if bad := _bad_cell(partnership, header, (csp, csp_name)):
            problems.append(f"{shown}, line {line}, {bad}")
        elif not partnership[0] or not partnership[1]:
            problems.append(f"{shown}, line {line}, field {header[csp_name]}: empty")
        elif code in found and found[code][1:] != partnership:
            problems.append(
                f"{shown}, line {line}, field {header[csp]}: {code} is also on line "
                f"{found[code][0]} with another partnership ({found[code][2][:60]})"
            )
        else:
            found.setdefault(code, (line, *partnership))
    missing = sorted(areas[c].name for c in areas if c not in found)
    if missing:
        problems.append(
            f"{shown}: no row for {', '.join(missing[:5])}"
            + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        )
    if problems:
        raise ValidationError(problems[:25])
    changed = 0
    for code, (_, csp_code, csp_title) in found.items():
        title = (
            csp_title
            if "partnership" in csp_title.lower()
            else (f"{csp_title} Community Safety Partnership")
        )
        existing = Partnership.objects.filter(borough=areas[code]).first()
        if existing is None:
            Partnership.objects.create(
                borough=areas[code], code=csp_code, name=title, created_by=user
            )
            changed += 1
        elif (existing.code, existing.name) != (csp_code, title):
            existing.code, existing.name, existing.modified_by = csp_code, title, user
            existing.save()
            changed += 1
    audit_record(
        actor=user,
        action="estates.partnerships_imported",
        changes={"file": shown, "changed": changed},
    )
    return changed


@transaction.atomic
def partnership_save(*, user: Any, partnership: Partnership, data: dict[str, Any]) -> Partnership:
    ensure(user, Perm.MANAGE_ESTATE)
    before = {k: getattr(partnership, k) for k in data}
    for key, value in data.items():
        setattr(partnership, key, value)
    partnership.modified_by = user
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=user,
        action="estates.partnership_changed",
        obj=partnership,
        changes={k: [before[k], v] for k, v in data.items() if before[k] != v},
    )
    return partnership
