"""On import: names that map to no concept are reported (not rejected), and categories that
begin or stop being recorded become dated series-break caveats, once."""

from __future__ import annotations

import pytest

from policeplan.performance.models import Caveat
from policeplan.performance.tests.conftest import run_import
from policeplan.performance.tests.test_crosswalk import BURGLARY_FILE, boroughs  # noqa: F401

pytestmark = pytest.mark.django_db


def _automatic() -> dict[tuple[str, str], Caveat]:
    return {
        (c.effective_from, c.categories[0]): c
        for c in Caveat.objects.filter(dataset="mps_crime")
        if c.categories
    }


def test_categories_that_begin_or_stop_become_dated_series_breaks_once(
    boroughs,  # noqa: F811
    tmp_path,
):
    assert run_import("mps-crime", BURGLARY_FILE).status == "succeeded"
    found = _automatic()
    # Dated at the real change (April 2023), not by stragglers: the one record under the new
    # name in November 2022 and the few under the old one from May to July 2023 are not
    # series breaks, and nor is a name with fewer than 10 records in every month.
    assert set(found) == {
        ("2023-05", "DOMESTIC BURGLARY"),  # 20 in April 2023, then 3, 2, 1
        ("2023-04", "RES BURGLARY OF A HOME"),  # 1 in November 2022, then 92 from April 2023
        ("2023-04", "RES BURGLARY OF UNCONNECTED BUILDING"),
    }
    ended = found[("2023-05", "DOMESTIC BURGLARY")]
    assert ended.title == "‘DOMESTIC BURGLARY’ no longer recorded" and ended.is_series_break
    assert ended.text == (
        "The MPS category ‘DOMESTIC BURGLARY’ (current scheme) is no longer in regular use from "
        "May 2023. "
        "It stands for residential burglary in the crosswalk: compare figures across the "
        "change with care."
    )
    # An analyst rewords one; the same figures imported again (another file) add nothing.
    ended.text = "The MPS stopped using this name after the April 2023 counting rules change."
    ended.save()
    lines = BURGLARY_FILE.read_text(encoding="utf-8").splitlines()
    again = tmp_path / "again.csv"
    again.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n", encoding="utf-8")
    assert run_import("mps-crime", again).status == "succeeded"
    assert set(_automatic()) == set(found)
    assert Caveat.objects.get(pk=ended.pk).text.startswith("The MPS stopped using")


def test_an_import_reports_names_that_map_to_no_concept_and_keeps_them(
    client,
    users,
    boroughs,  # noqa: F811
    tmp_path,
):
    lines = BURGLARY_FILE.read_text(encoding="utf-8").splitlines()
    months = len(lines[0].split(",")) - 3
    extra = "BURGLARY,BURGLARY OF A DWELLING,Barnet," + ",".join(["2"] * months)
    path = tmp_path / "with-a-new-name.csv"
    path.write_text("\n".join([*lines, extra]) + "\n", encoding="utf-8")
    data_import = run_import("mps-crime", path)
    assert data_import.status == "succeeded"
    assert data_import.summary["unmapped"] == [
        {"dataset": "mps_crime", "scheme": "current", "name": "BURGLARY OF A DWELLING"}
    ]
    assert data_import.files.get().rows_rejected == 0  # a warning, not a rejection
    client.force_login(users["analyst"])
    page = client.get(f"/staff/data/imports/{data_import.pk}/").text
    assert "1 category name maps to no concept in the crosswalk" in page
    assert "‘BURGLARY OF A DWELLING’ (current scheme)" in page
    assert 'href="/staff/data/crosswalk/add/"' in page
