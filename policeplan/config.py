"""The one typed settings object, read from the environment.

Every value has a name, a type and (where it is safe) a default. A value that
does not parse stops start-up with its name: pydantic reports the variable and
what was wrong with it. Nothing in the code branches on "which environment".
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BASE_DIR = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """A setting that parses but cannot be used; the message names the variable."""


class Config(BaseSettings):
    """Environment variables understood by policeplan (documented in the README)."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    var_dir: Path = Field(default=BASE_DIR / "var", description="Where local state lives.")
    database_url: str = Field(
        default="", description="Database URL; empty means a SQLite file under VAR_DIR."
    )
    secret_key: str = Field(
        default="", description="Django secret; empty means one generated once under VAR_DIR."
    )
    debug: bool = False
    allowed_hosts: Annotated[list[str], NoDecode] = ["127.0.0.1", "localhost", "[::1]"]
    csrf_trusted_origins: Annotated[list[str], NoDecode] = []
    https: bool = Field(
        default=False,
        description="Served over HTTPS (behind a proxy that sets X-Forwarded-Proto): secure "
        "cookies, HSTS and redirect to HTTPS.",
    )
    hsts_seconds: int = 31_536_000
    hsts_preload: bool = Field(
        default=True,
        description="With HTTPS=true, ask browsers to preload HSTS for the domain (the "
        "header's `preload`); set false for a domain not on the preload list.",
    )
    redis_url: str = ""
    port: int = Field(default=8000, description="The port `make run` serves on.")
    site_url: str = Field(
        default="",
        description="The public address of this service, for links in emails, calendar files "
        "and PDFs; empty means http://127.0.0.1:PORT (where `make run` serves).",
    )
    submission_rate_limit: int = Field(
        default=20,
        ge=1,
        description="Public form submissions (responses, starts of responses, registrations, "
        "withdrawals) allowed per client address per minute.",
    )
    registration_limit_per_email: int = Field(
        default=3,
        ge=1,
        description="Event registrations (each sends an email) per email address per hour; "
        "requests for scrutiny alerts are limited the same way, counted apart.",
    )
    registration_limit_per_client: int = Field(
        default=10,
        ge=1,
        description="Event registrations per client address per hour; requests for scrutiny "
        "alerts likewise, counted apart.",
    )
    equality_min_cell: int = Field(
        default=10, ge=1, description="Equality monitoring counts below this are withheld."
    )
    question_answer_days: int = Field(
        default=20,
        ge=1,
        le=365,
        description="Days the office has to answer a question put to it by the scrutiny body; "
        "an unanswered question is overdue after that (London dates).",
    )
    decision_reference_prefixes: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="Prefixes a decision's reference may start with, comma separated (for "
        "example PCD,DMPCD); empty means those of the office's kind.",
    )
    email_host: str = ""
    email_port: int = 587
    email_host_user: str = ""
    email_host_password: str = ""
    default_from_email: str = "policeplan@localhost"
    s3_bucket: str = Field(
        default="",
        description="Keep files (uploads, documents, generated PDFs) in this bucket of an "
        "S3-compatible object store instead of MEDIA_ROOT, so web processes and workers on "
        "different machines share them.",
    )
    s3_endpoint_url: str = Field(
        default="", description="The object store's address (empty: Amazon S3 itself)."
    )
    warehouse_sync: bool | None = Field(
        default=None,
        description="Keep the crime warehouse in the file storage too, each machine's folder "
        "a cache synced from it (ADR 0003); default: on with S3_BUCKET, off without.",
    )
    warehouse_sync_seconds: float = Field(
        default=5.0, ge=0, description="How often a process checks the store's warehouse."
    )
    s3_region: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    media_root: Path | None = None
    static_root: Path | None = None
    session_idle_minutes: int = Field(default=60, ge=5, le=24 * 60)
    login_failure_limit: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = Field(
        default="text", description="Logs as plain text lines, or one JSON object a line."
    )
    metrics_token: str = Field(
        default="",
        description="Bearer token a Prometheus scraper sends to /metrics; empty means /metrics "
        "answers only to the machine itself.",
    )
    disclosure_min_count: int = Field(
        default=10, ge=0, description="Public counts below this are shown as 'fewer than N'."
    )
    survey_min_base: int = Field(
        default=100, ge=1, description="Survey results on smaller bases are not shown."
    )
    scrutiny_response_days: int = Field(
        default=28,
        ge=1,
        description="Days after a scrutiny report is published by which the office's response "
        "is due, unless the report sets its own date.",
    )
    scrutiny_plan_review_days: int = Field(
        default=42,
        ge=1,
        description="Days the scrutiny body's review of a draft plan stays open from the day the "
        "draft is published for consultation.",
    )
    warehouse_dir: Path | None = Field(
        default=None, description="Parquet warehouse; default VAR_DIR/warehouse."
    )
    geography: str = Field(default="london", description="Which policing geography file to use.")
    page_stamp_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How long a process trusts what a cached public page depends on.",
    )
    analysis_engine: str = Field(
        default="tfidf",
        description="Theme engine: tfidf, embeddings (needs the extra) or package.module:Class.",
    )
    scheduled_downloads: bool = Field(
        default=False,
        description="The scheduler downloads and imports the latest data.police.uk month, monthly.",
    )
    tasks_backend: str = Field(
        default="",
        description="Django tasks backend for background jobs: empty means the database queue, "
        "or RQ on Redis when REDIS_URL is set.",
    )

    @field_validator(
        "allowed_hosts", "csrf_trusted_origins", "decision_reference_prefixes", mode="before"
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def resolved_tasks_backend(self) -> str:
        if self.tasks_backend:
            return self.tasks_backend
        if self.redis_url:
            return "policeplan.core.rq.RQBackend"
        return "django_tasks_db.DatabaseBackend"

    def resolved_site_url(self) -> str:
        return self.site_url or f"http://127.0.0.1:{self.port}"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'policeplan.sqlite3'}"

    def resolved_secret_key(self) -> str:
        """The configured secret, or a development secret generated on first run.

        A service on HTTPS is a real one: its secret must be set, the same for every web
        process and worker, never generated per machine (sessions, CSRF tokens and signed
        links would fail from one machine to the next). The error names the variable, never
        its value."""
        if self.https and not self.secret_key:
            raise ConfigError(
                "SECRET_KEY must be set when HTTPS=true: one secret shared by every web "
                "process and worker (make one with: python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(50))')"
            )
        if self.https and (len(self.secret_key) < 50 or len(set(self.secret_key)) < 5):
            raise ConfigError(
                "SECRET_KEY is too weak for HTTPS=true: at least 50 characters, not repeats"
            )
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret-key"
        if not path.exists():
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()
