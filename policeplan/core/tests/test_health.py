"""Health, readiness, request ids, JSON logs and metrics, as an operator meets them."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.test import override_settings
from pythonjsonlogger.json import JsonFormatter

from policeplan.core import observability

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_checks_every_part_and_says_which(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "queue": "ok",
            "storage": "ok",
            "static": "ok",
        },
    }


def test_readyz_is_503_naming_the_part_that_fails_and_never_its_address(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://secret-user:hunter2@127.0.0.1:1/0",
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["checks"]["cache"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert (
        "hunter2" not in response.content.decode() and "127.0.0.1" not in response.content.decode()
    )


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["plan.example.gov.uk"])
def test_probes_over_plain_http_to_the_machine_address_are_not_redirected_nor_refused(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    # everything else still is
    assert client.get("/", HTTP_HOST="plan.example.gov.uk").status_code == 301


def test_probes_refuse_other_methods(client):
    for path in ("/healthz", "/readyz"):
        response = client.post(path)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("lb-2f1c9a7e-0001", True),
        ("abc<script>alert(1)</script>", False),
        ("x" * 65, False),
        ("short", False),
        ("line\r\nX-Evil: 1", False),
    ],
)
def test_a_request_id_is_kept_only_when_it_is_a_plain_token(client, sent, kept):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    echoed = response["X-Request-ID"]
    assert (echoed == sent) is kept
    assert observability.REQUEST_ID_PATTERN.fullmatch(echoed)


def test_json_log_lines_carry_the_request_id(rf, settings):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(observability.RequestIdFilter())
    formatter = settings.LOGGING["formatters"]["json"]
    handler.setFormatter(JsonFormatter(formatter["fmt"], rename_fields=formatter["rename_fields"]))
    logger = logging.getLogger("policeplan.test-json")
    logger.addHandler(handler)
    try:

        def view(request):
            logger.warning("working on it")
            from django.http import HttpResponse

            return HttpResponse("done")

        response = observability.ObservabilityMiddleware(view)(
            rf.get("/", HTTP_X_REQUEST_ID="req-12345678")
        )
        logger.warning("after the request")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert response["X-Request-ID"] == "req-12345678"
    assert first["request_id"] == "req-12345678" and first["message"] == "working on it"
    assert first["level"] == "WARNING" and first["logger"] == "policeplan.test-json"
    assert second["request_id"] == "-"


def test_metrics_answer_only_the_machine_itself_without_a_token(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    # a reverse proxy on the same machine connects from 127.0.0.1, on behalf of anyone
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        relayed = client.get("/metrics", REMOTE_ADDR="127.0.0.1", **{header: "203.0.113.5"})
        assert relayed.status_code == 404
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'policeplan_http_requests_total{method="GET",route="healthz",status="200"}' in text
    assert "policeplan_http_request_duration_seconds_bucket" in text
    assert "policeplan_jobs_oldest_queued_age_seconds 0.0" in text


def test_with_a_token_metrics_need_it_even_from_the_machine(client, settings):
    settings.METRICS_TOKEN = "a-long-random-scrape-token"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", REMOTE_ADDR="127.0.0.1")
    assert wrong.status_code == 404
    right = client.get(
        "/metrics",
        HTTP_AUTHORIZATION="Bearer a-long-random-scrape-token",
        REMOTE_ADDR="203.0.113.9",
    )
    assert right.status_code == 200


def test_metrics_count_the_queue_from_the_database(client, settings):
    from policeplan.consultations import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks.erase_personal_details_due.enqueue()
    tasks.erase_personal_details_due.enqueue()
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'policeplan_jobs_queued{task="erase_personal_details_due"} 2.0' in text
    age = next(
        line
        for line in text.splitlines()
        if line.startswith("policeplan_jobs_oldest_queued_age_seconds ")
    )
    assert float(age.split()[1]) >= 0


def test_with_https_on_metrics_are_scraped_over_the_private_network_not_redirected(
    client, settings
):
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_TOKEN = "a-long-random-scrape-token"
    scraped = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer a-long-random-scrape-token", REMOTE_ADDR="10.0.0.5"
    )
    assert scraped.status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 404  # no token
    assert client.get("/staff/data/").status_code == 301  # everything else still goes to HTTPS


def test_metrics_answer_a_scrape_at_the_process_address_whatever_the_host(client, settings):
    """Prometheus scrapes each process by its address: not one of ALLOWED_HOSTS, not HTTPS."""
    settings.ALLOWED_HOSTS = ["plan.example.gov.uk"]
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_TOKEN = "a-long-random-scrape-token"
    scraped = client.get(
        "/metrics",
        HTTP_HOST="10.0.0.7:8000",
        HTTP_AUTHORIZATION="Bearer a-long-random-scrape-token",
        REMOTE_ADDR="10.0.0.5",
    )
    assert scraped.status_code == 200 and b"policeplan_http_requests_total" in scraped.content
    refused = client.get("/metrics", HTTP_HOST="10.0.0.7:8000", REMOTE_ADDR="10.0.0.5")
    assert refused.status_code == 404
    assert client.post("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_readiness_fails_without_the_collected_static_files(client, settings, tmp_path):
    """A new VAR_DIR has no static files until collectstatic: every page would fail."""
    (tmp_path / "empty").mkdir()
    settings.STATIC_ROOT = tmp_path / "empty"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["static"] == "unavailable"
