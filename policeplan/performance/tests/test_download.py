"""The data.police.uk downloader, against a local HTTP server serving the real files."""

from __future__ import annotations

import csv
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from policeplan.performance.models import DataImport, ImportStatus
from policeplan.warehouse.download import Client, DownloadError

pytestmark = pytest.mark.django_db


def _api_stops(csv_path):
    """The API's JSON for the rows of a published stop-and-search CSV."""
    items = []
    with csv_path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            items.append(
                {
                    "type": row["Type"],
                    "datetime": row["Date"],
                    "operation": row["Part of a policing operation"] == "True"
                    if row["Part of a policing operation"]
                    else None,
                    "operation_name": row["Policing operation"] or None,
                    "location": {
                        "latitude": row["Latitude"],
                        "longitude": row["Longitude"],
                        "street": {"id": 1, "name": "On or near"},
                    }
                    if row["Latitude"]
                    else None,
                    "gender": row["Gender"] or None,
                    "age_range": row["Age range"] or None,
                    "self_defined_ethnicity": row["Self-defined ethnicity"] or None,
                    "officer_defined_ethnicity": row["Officer-defined ethnicity"] or None,
                    "legislation": row["Legislation"] or None,
                    "object_of_search": row["Object of search"] or None,
                    "outcome": row["Outcome"] or None,
                    "outcome_linked_to_object_of_search": {"True": True, "False": False}.get(
                        row["Outcome linked to object of search"]
                    ),
                    "removal_of_more_than_outer_clothing": {"True": True, "False": False}.get(
                        row["Removal of more than just outer clothing"]
                    ),
                }
            )
    return items


@pytest.fixture
def police_uk_server(shared_data):
    street = shared_data / "police-uk/city-of-london/street/2023-01-city-of-london-street.csv"
    stops = (
        shared_data
        / "police-uk/city-of-london/stop-and-search/2023-01-city-of-london-stop-and-search.csv"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.write(street, f"2023-01/{street.name}")
        z.write(stops, f"2023-01/{stops.name}")
        z.writestr(
            "2023-01/2023-01-kent-street.csv",
            street.read_text().replace("City of London Police", "Kent Police"),
        )
    payloads = {
        "/data/archive/2023-01.zip": ("application/zip", archive.getvalue()),
        "/api/crimes-street-dates": (
            "application/json",
            json.dumps(
                [{"date": "2023-01", "stop-and-search": ["city-of-london"]}, {"date": "2022-12"}]
            ).encode(),
        ),
    }
    stop_items = _api_stops(stops)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/api/stops-force":
                query = parse_qs(url.query)
                body = json.dumps(
                    stop_items
                    if query == {"force": ["city-of-london"], "date": ["2023-01"]}
                    else []
                ).encode()
                kind = "application/json"
            elif url.path in payloads:
                kind, body = payloads[url.path]
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", stops
    server.shutdown()


def test_the_latest_month_and_its_archive_download_and_import(
    police_uk_server, warehouse_root, tmp_path, capsys
):
    base, _ = police_uk_server
    assert Client(base_url=base).available_months() == ["2023-01", "2022-12"]
    call_command("download", "police-uk", "--base-url", base, "--to", str(tmp_path), "--import")
    out = capsys.readouterr().out
    assert "Downloaded 2023-01" in out
    assert "2023-01-city-of-london-street.csv" in out and "kent" not in out.lower()
    assert (tmp_path / "2023-01.zip").exists()
    assert DataImport.objects.filter(kind="police-uk").get().status == ImportStatus.SUCCEEDED


def test_stop_and_search_from_the_api_matches_the_published_file(
    police_uk_server, warehouse_root, tmp_path
):
    base, published = police_uk_server
    path = Client(base_url=base).stops_force("city-of-london", "2023-01", tmp_path)
    with path.open(encoding="utf-8") as a, published.open(encoding="utf-8") as b:
        assert list(csv.reader(a)) == list(csv.reader(b))


def test_a_missing_archive_is_a_clear_error(police_uk_server, tmp_path):
    base, _ = police_uk_server
    with pytest.raises(DownloadError, match=r"/data/archive/2019-01\.zip answered 404"):
        Client(base_url=base).archive("2019-01", tmp_path)
    with pytest.raises(CommandError, match="answered 404"):
        call_command(
            "download", "police-uk", "--base-url", base, "--month", "2019-01", "--to", str(tmp_path)
        )
    assert not list(tmp_path.glob("*.zip")) and not list(tmp_path.glob("*.part"))
