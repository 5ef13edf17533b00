"""Writes for the estate. Each runs in one transaction with its audit event, and checks the
writer's permission itself (views only call these)."""

from policeplan.estates.services.buildings import (
    ImportResult,
    building_save,
    estate_import,
    police_uk_import,
    schedule_record,
)
from policeplan.estates.services.other import (
    disposal_save,
    pledge_save,
    resident_points_even_spread,
    resident_points_import,
    strategy_document_add,
)
from policeplan.estates.services.partnerships import partnership_save, partnerships_import

__all__ = [
    "ImportResult",
    "building_save",
    "disposal_save",
    "estate_import",
    "partnership_save",
    "partnerships_import",
    "pledge_save",
    "police_uk_import",
    "resident_points_even_spread",
    "resident_points_import",
    "schedule_record",
    "strategy_document_add",
]
