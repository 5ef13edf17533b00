import pytest
from pydantic import ValidationError

from policeplan.config import Config


def test_defaults_use_a_sqlite_file_under_var(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = Config(var_dir=tmp_path)
    assert config.resolved_database_url() == f"sqlite:///{tmp_path / 'policeplan.sqlite3'}"


def test_a_value_that_does_not_parse_stops_start_up_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "forever")
    with pytest.raises(ValidationError) as error:
        Config()
    assert "session_idle_minutes" in str(error.value)


def test_lists_are_read_from_comma_separated_values(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "plan.example.org, www.plan.example.org")
    assert Config().allowed_hosts == ["plan.example.org", "www.plan.example.org"]


def test_a_development_secret_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = Config(var_dir=tmp_path)
    first = config.resolved_secret_key()
    assert len(first) >= 50
    assert config.resolved_secret_key() == first
    assert (tmp_path / "secret-key").stat().st_mode & 0o777 == 0o600


def test_a_configured_secret_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert Config(var_dir=tmp_path).resolved_secret_key() == "from-the-environment"
    assert not (tmp_path / "secret-key").exists()


def test_links_in_emails_point_at_the_port_make_run_serves_on(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("PORT", "8080")
    assert Config().resolved_site_url() == "http://127.0.0.1:8080"
    monkeypatch.delenv("PORT")
    assert Config().resolved_site_url() == "http://127.0.0.1:8000"
    monkeypatch.setenv("SITE_URL", "https://plan.example.org")
    monkeypatch.setenv("PORT", "8080")
    assert Config().resolved_site_url() == "https://plan.example.org"


def test_https_without_a_secret_refuses_to_start_naming_secret_key(monkeypatch, tmp_path):
    from policeplan.config import ConfigError

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HTTPS", "true")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set when HTTPS=true"):
        Config(var_dir=tmp_path).resolved_secret_key()
    assert not (tmp_path / "secret-key").exists()  # never generated per machine


def test_a_weak_secret_is_refused_without_printing_it(monkeypatch, tmp_path):
    from policeplan.config import ConfigError

    monkeypatch.setenv("HTTPS", "true")
    monkeypatch.setenv("SECRET_KEY", "hunter2-hunter2")
    with pytest.raises(ConfigError) as error:
        Config(var_dir=tmp_path).resolved_secret_key()
    assert "SECRET_KEY" in str(error.value) and "hunter2" not in str(error.value)
