"""The demo's local priorities: every borough of the force agrees, for last year and this, the
two volume crimes its evidence pack ranks highest against the other boroughs (its real
figures), agreed in May by its council, its commander and its partnership (names made up
for the demonstration)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from policeplan.core.models import User
from policeplan.core.roles import Role
from policeplan.plans.localpriorities import config, selectors, services


def load() -> int:
    officer = User.objects.filter(role=Role.POLICY_OFFICER).order_by("pk").first()
    menu = config.menu()
    if officer is None or menu is None:
        return 0
    figures = selectors.menu_figures()
    made = 0
    current = selectors.current_year()
    # Last year's (its review shows the year's figures against its pack) and this year's.
    for year in (current - 1, current):
        made += _year(officer, menu.choose, year, figures)
    return made


def _year(officer: User, choose: int, year: int, figures: dict) -> int:
    agreed_on = min(datetime.date(year, 5, 14), timezone.localdate())
    made = 0
    for area in selectors.force_boroughs():
        pack = selectors.evidence_pack(borough=area, year=year, figures=figures)
        ranked = sorted(
            (c for c in pack["crimes"] if c["rank"]), key=lambda c: (c["rank"], c["slug"])
        )
        if len(ranked) < choose:
            continue
        command = area.parent.name if area.parent else area.name
        services.local_priorities_record(
            user=officer,
            borough=area,
            year=year,
            chosen=[c["slug"] for c in ranked[:choose]],
            council=f"Cabinet Member for Community Safety, {area.name} Council",
            commander=f"BCU Commander, {command}",
            partnership=f"{area.name} Community Safety Partnership",
            agreed_on=agreed_on,
            figures=figures,
        )
        made += 1
    return made
