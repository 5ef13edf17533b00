"""Police buildings from data.police.uk, against a local HTTP server serving fixtures written to
the documented layout (see fixtures/police-uk/README.md)."""

from __future__ import annotations

import http.client
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from policeplan.estates.police_uk import (
    Location,
    LocationsError,
    fetch_force_locations,
    parse_neighbourhood,
    read_locations_file,
)
from policeplan.warehouse.download import Client

FIXTURES = Path(__file__).parent / "fixtures" / "police-uk"
IDS = ["E05013806", "E05013800", "E05000138"]


class Server:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.routes: dict[str, tuple[int, bytes]] = {
            "/api/metropolitan/neighbourhoods": (
                200,
                (FIXTURES / "metropolitan/neighbourhoods.json").read_bytes(),
            )
        }
        for nid in IDS:
            body = (FIXTURES / f"metropolitan/{nid}.json").read_bytes()
            self.routes[f"/api/metropolitan/{nid}"] = (200, body)
        self.base = ""

    def json(self, path: str, data: object) -> None:
        self.routes[path] = (200, json.dumps(data).encode())


@pytest.fixture
def server():
    state = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state.requests.append(self.path)
            status, body = state.routes.get(self.path, (404, b""))
            if status != 200:
                self.send_error(status)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def _fetch(server: Server, force: str = "metropolitan", **kwargs) -> list[Location]:
    return fetch_force_locations(Client(base_url=server.base, timeout=10), force, **kwargs)


def test_a_force_is_read_neighbourhood_by_neighbourhood_and_merged(server):
    calls = []
    locations = _fetch(server, progress=lambda done, total: calls.append((done, total)))
    assert server.requests == ["/api/metropolitan/neighbourhoods"] + [
        f"/api/metropolitan/{nid}" for nid in IDS
    ]
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [loc.name for loc in locations] == [
        "Charing Cross Police Station",
        "Belgravia Police Station",
    ]
    charing, belgravia = locations
    assert charing == Location(
        source_id="charing-cross-police-station/WC2N4JP",
        name="Charing Cross Police Station",
        address="Agar Street, London",
        postcode="WC2N 4JP",
        latitude=51.509362,
        longitude=-0.124426,
        kind="station",
        telephone="101",
        description="Front counter open 24 hours a day. Step-free access & a hearing loop.",
        neighbourhoods=("E05013806", "E05000138"),
    )
    assert isinstance(charing.latitude, float) and isinstance(charing.longitude, float)
    assert belgravia.address == "202-206 Buckingham Palace Road, London"
    assert belgravia.postcode == "SW1W 9SX"
    assert (belgravia.latitude, belgravia.longitude) == (None, None)
    assert (belgravia.telephone, belgravia.description) == ("", "")
    assert belgravia.neighbourhoods == ("E05013806",)


def test_the_saved_file_can_be_one_document_a_list_or_a_dict(tmp_path):
    docs = {nid: json.loads((FIXTURES / f"metropolitan/{nid}.json").read_text()) for nid in IDS}
    single = tmp_path / "single.json"
    single.write_text(json.dumps(docs["E05013806"]))
    assert [loc.source_id for loc in read_locations_file(single)] == [
        "charing-cross-police-station/WC2N4JP",
        "belgravia-police-station/SW1W9SX",
    ]
    as_list = tmp_path / "list.json"
    as_list.write_text(json.dumps(list(docs.values())))
    keyed = tmp_path / "dict.json"
    keyed.write_text(json.dumps({f"saved-{nid}": doc for nid, doc in docs.items()}))
    from_list, from_dict = read_locations_file(as_list), read_locations_file(keyed)
    assert from_list[0].neighbourhoods == ("E05013806", "E05000138")
    assert from_dict[0].neighbourhoods == ("saved-E05013806", "saved-E05000138")
    assert len(from_list) == len(from_dict) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>Service unavailable</html>", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        (b"42", "expected a neighbourhood document, a list or a dict"),
        (b'{"E1": {"locations": {}}}', "'locations' is not a list"),
        (b'[{"locations": [{"name": "A"}, "B"]}]', "location [1] is not an object"),
        (b"[" * 100_000 + b"]" * 100_000, "not JSON"),
    ],
)
def test_a_bad_file_is_an_error_naming_it(tmp_path, content, message):
    path = tmp_path / "saved.json"
    path.write_bytes(content)
    with pytest.raises(LocationsError, match=r"saved\.json") as caught:
        read_locations_file(path)
    assert message in str(caught.value)


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(LocationsError, match=r"nowhere\.json: could not be read"):
        read_locations_file(tmp_path / "nowhere.json")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "W: expected a neighbourhood document"),
        ({"id": "E1"}, "W: 'locations' is not a list"),
        ({"locations": "station"}, "W: 'locations' is not a list"),
        ({"locations": [{"name": "A"}, None]}, "W: location [1] is not an object"),
        ({"locations": [{"name": None, "address": None}]}, "location [0]: has neither a name"),
        ({"locations": [{"name": {"en": "A"}}]}, "location [0]: 'name' is not text"),
        ({"locations": [{"name": "A", "address": ["x"]}]}, "location [0]: 'address' is not"),
        ({"locations": [{"name": True}]}, "location [0]: 'name' is not text"),
    ],
)
def test_malformed_documents_are_errors_naming_where_and_the_item(doc, message):
    with pytest.raises(LocationsError) as caught:
        parse_neighbourhood(doc, where="W")
    assert message in str(caught.value)


def test_an_item_without_a_name_takes_the_first_line_of_its_address():
    [loc] = parse_neighbourhood(
        {"id": "N1", "locations": [{"name": None, "address": "\n 1 High St \n\nKingston,"}]},
        where="W",
    )
    assert (loc.name, loc.address, loc.neighbourhoods) == (
        "1 High St",
        "1 High St, Kingston",
        ("N1",),
    )
    assert loc.source_id == "1-high-st/1-high-st-kingston"
    assert (loc.kind, loc.postcode, loc.latitude) == ("", "", None)


@pytest.mark.parametrize(
    ("latitude", "longitude", "expected"),
    [
        ("51.5", "-0.12", (51.5, -0.12)),
        (" 51.5 ", 1, (51.5, 1.0)),
        (51.5, -0.12, (51.5, -0.12)),
        ("", "-0.12", (None, None)),
        (None, None, (None, None)),
        ("51.5", None, (None, None)),
        ("north", "-0.12", (None, None)),
        ("nan", "-0.12", (None, None)),
        ("inf", "-0.12", (None, None)),
        ("1e400", "-0.12", (None, None)),
        ("0", "0", (None, None)),
        ("40.7", "-74.0", (None, None)),
        ("-0.12", "51.5", (None, None)),
        ("61.0001", "-0.12", (None, None)),
        (True, "-0.12", (None, None)),
        ({"lat": 51}, "-0.12", (None, None)),
        ("5" * 100_000, "-0.12", (None, None)),
    ],
)
def test_coordinates_are_floats_within_the_uk_or_none(latitude, longitude, expected):
    item = {"name": "A", "latitude": latitude, "longitude": longitude}
    [loc] = parse_neighbourhood({"locations": [item]}, where="W")
    assert (loc.latitude, loc.longitude) == expected


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("sw1a2jl", "SW1A 2JL"),
        (" SW1A  2JL ", "SW1A 2JL"),
        ("le4 1ds", "LE4 1DS"),
        ("M1 1AE", "M1 1AE"),
        ("EC1A\n1BB", "EC1A 1BB"),
        ("", ""),
        (None, ""),
        (12345, ""),
        ("SW1A", ""),
        ("not a postcode", ""),
        ("SW1A 2JL; DROP TABLE", ""),
    ],
)
def test_postcodes_are_normalised_or_empty(postcode, expected):
    [loc] = parse_neighbourhood({"locations": [{"name": "A", "postcode": postcode}]}, where="W")
    assert loc.postcode == expected


def test_html_is_stripped_from_descriptions():
    description = (
        '<p onclick="steal()">Open <em>Mon&ndash;Fri</em><br>9&nbsp;am&ndash;5&nbsp;pm</p>'
        "<script>alert('x')</script><style>p {}</style><p>Fish &amp; chips &lt;b&gt;</p>"
    )
    [loc] = parse_neighbourhood(
        {"locations": [{"name": "A", "description": description}]}, where="W"
    )
    assert loc.description == "Open Mon–Fri 9 am–5 pm Fish & chips <b>"


def test_huge_and_odd_strings_are_cleaned_and_capped():
    item = {
        "name": "Police\x00 Station\u202e" + "x" * 1_000_000,
        "address": "1 Road\r\nTown\x07",
        "telephone": 101,
        "type": "  station ",
        "description": "<b>" * 50_000 + "text",
    }
    [loc] = parse_neighbourhood({"locations": [item]}, where="W")
    assert loc.name.startswith("Police Stationxxx") and len(loc.name) <= 200
    assert loc.address == "1 Road, Town"
    assert (loc.telephone, loc.kind) == ("101", "station")
    assert loc.description == "text"
    assert len(loc.source_id) <= 241


def test_a_long_description_is_capped_after_its_html_is_stripped():
    description = "<p>" + "word " * 3000 + "</p>"
    [loc] = parse_neighbourhood(
        {"locations": [{"name": "A", "description": description}]}, where="W"
    )
    assert len(loc.description) == 5000 and loc.description.startswith("word word")


def test_a_truncated_body_is_a_locations_error(server):
    class Short:
        def read(self, size):
            raise http.client.IncompleteRead(b"[", 10)

        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

    client = Client(base_url=server.base)
    client._open = lambda path, params=None: Short()  # type: ignore[method-assign]
    with pytest.raises(LocationsError, match=r"/api/metropolitan/neighbourhoods could not be read"):
        fetch_force_locations(client, "metropolitan")


def test_duplicates_within_a_document_are_merged_and_missing_coordinates_filled(tmp_path):
    path = tmp_path / "dupes.json"
    station = {"name": "Kingston Police Station", "postcode": "KT1 2PS", "type": "station"}
    path.write_text(
        json.dumps(
            {
                "N1": {"locations": [station, dict(station, name="KINGSTON  police station")]},
                "N2": {"locations": [dict(station, latitude="51.41", longitude="-0.30")]},
            }
        )
    )
    [loc] = read_locations_file(path)
    assert loc.name == "Kingston Police Station"
    assert loc.neighbourhoods == ("N1", "N2")
    assert (loc.latitude, loc.longitude) == (51.41, -0.3)


def test_a_body_that_is_not_json_is_an_error_naming_the_url(server):
    server.routes["/api/metropolitan/E05013800"] = (200, b"<html>Down for maintenance</html>")
    with pytest.raises(LocationsError, match=r"/api/metropolitan/E05013800: not JSON"):
        _fetch(server)


@pytest.mark.parametrize(
    ("listing", "message"),
    [
        ({"neighbourhoods": []}, "expected a list of neighbourhoods"),
        ([{"name": "No id"}], "neighbourhood [0] has no usable id"),
        ([{"id": "E1"}, "E2"], "neighbourhood [1] has no usable id"),
        ([{"id": 7}], "neighbourhood [0] has no usable id"),
        ([{"id": ".."}], "neighbourhood [0] has no usable id"),
        ([{"id": "neighbourhoods"}], "neighbourhood [0] has no usable id"),
        ([{"id": "x" * 201}], "neighbourhood [0] id is too long"),
    ],
)
def test_a_neighbourhood_list_of_the_wrong_shape_is_refused(server, listing, message):
    server.json("/api/metropolitan/neighbourhoods", listing)
    with pytest.raises(LocationsError, match="/api/metropolitan/neighbourhoods") as caught:
        _fetch(server)
    assert message in str(caught.value)
    assert server.requests == ["/api/metropolitan/neighbourhoods"]


def test_a_neighbourhood_of_the_wrong_shape_is_an_error_naming_its_url(server):
    server.json("/api/metropolitan/E05000138", {"locations": {"name": "Charing Cross"}})
    with pytest.raises(
        LocationsError, match=r"/api/metropolitan/E05000138: 'locations' is not a list"
    ):
        _fetch(server)


def test_a_failing_neighbourhood_fails_the_whole_fetch(server):
    server.routes["/api/metropolitan/E05013800"] = (500, b"")
    calls = []
    with pytest.raises(LocationsError, match=r"/api/metropolitan/E05013800 answered 500"):
        _fetch(server, progress=lambda done, total: calls.append(done))
    assert calls == [1]
    assert "/api/metropolitan/E05000138" not in server.requests


def test_an_oversized_body_is_refused(server, monkeypatch):
    monkeypatch.setattr("policeplan.estates.police_uk.MAX_BYTES", 1000)
    server.routes["/api/metropolitan/E05013806"] = (200, b" " * 2000 + b"[]")
    with pytest.raises(LocationsError, match=r"/api/metropolitan/E05013806: larger than 1,000"):
        _fetch(server)


def test_hostile_neighbourhood_ids_are_quoted_into_the_path(server):
    hostile = "../../forces?x=1#y z"
    server.json("/api/metropolitan/neighbourhoods", [{"id": hostile, "name": "Odd"}])
    quoted = "/api/metropolitan/..%2F..%2Fforces%3Fx%3D1%23y%20z"
    server.json(quoted, {"locations": [{"name": "Odd Station", "postcode": "N1 1AA"}]})
    [loc] = _fetch(server)
    assert server.requests == ["/api/metropolitan/neighbourhoods", quoted]
    assert loc.neighbourhoods == (hostile,)


@pytest.mark.parametrize(
    "force",
    [
        "city/of-london",
        "../metropolitan",
        "metropolitan?x=1",
        "Metropolitan",
        "metropolitan\n",
        "",
        "a" * 61,
        "metropolitan police",
        None,
    ],
)
def test_a_bad_force_id_is_refused_before_any_request(server, force):
    with pytest.raises(LocationsError, match="is not a force id"):
        _fetch(server, force=force)
    assert server.requests == []


def test_an_unreachable_server_is_a_locations_error():
    client = Client(base_url="http://127.0.0.1:9", timeout=2)
    with pytest.raises(LocationsError, match="could not be reached"):
        fetch_force_locations(client, "metropolitan")


@pytest.mark.django_db
def test_the_fetch_command_saves_what_the_staff_page_imports(server, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    from policeplan.estates.police_uk import read_locations_file

    out = tmp_path / "stations.json"
    call_command(
        "estate-fetch",
        "--force",
        "metropolitan",
        "--out",
        str(out),
        "--base-url",
        server.base,
        stdout=StringIO(),
    )
    assert sorted(loc.name for loc in read_locations_file(out)) == sorted(
        loc.name for loc in _fetch(server)
    )
    assert not list(tmp_path.glob("*.part"))
