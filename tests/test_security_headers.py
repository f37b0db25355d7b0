"""HSTS when served over HTTPS (issue 14, item 6; ASVS 5.0 V3.4.1)."""
from __future__ import annotations

from app import create_app


def _app(tmp_path, **config):
    return create_app({"SECRET_KEY": "k", "DATA_DIR": str(tmp_path), "TESTING": True,
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", **config})


def test_hsts_on_every_response_when_served_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMZABAN_HTTPS", "1")
    client = _app(tmp_path).test_client()
    for path in ("/login", "/no-such-page", "/static/css/app.css", "/healthz"):
        response = client.get(path)
        assert response.headers.get("Strict-Transport-Security") == "max-age=31536000; includeSubDomains", path


def test_hsts_max_age_is_a_setting_and_zero_withdraws_it(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMZABAN_HTTPS", "1")
    monkeypatch.setenv("HAMZABAN_HSTS_MAX_AGE", "0")  # tells browsers to forget an earlier HSTS
    response = _app(tmp_path).test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=0"


def test_no_hsts_over_plain_http(tmp_path, monkeypatch):
    monkeypatch.delenv("HAMZABAN_HTTPS", raising=False)
    response = _app(tmp_path).test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers


def test_trusted_hosts_refuse_another_host_header(tmp_path, monkeypatch):
    """HAMZABAN_TRUSTED_HOSTS (Flask's TRUSTED_HOSTS): a request for another host name is a 400,
    so no page or link is built from a Host header an attacker chose."""
    monkeypatch.setenv("HAMZABAN_TRUSTED_HOSTS", "hamzaban.ostan.ir, .intranet.ostan.ir")
    client = _app(tmp_path).test_client()
    assert client.get("/login", base_url="https://hamzaban.ostan.ir").status_code == 200
    assert client.get("/login", base_url="http://desk.intranet.ostan.ir").status_code == 200
    refused = client.get("/login", base_url="https://evil.example")
    assert refused.status_code == 400 and "میزبان" in refused.get_data(as_text=True)


def test_only_addresses_and_localhost_when_trusted_hosts_is_empty(tmp_path, monkeypatch):
    """Session 48: any Host was answered (a page whose DNS rebinds its name to the desk); real HTTP in
    tests/test_host_names.py."""
    monkeypatch.delenv("HAMZABAN_TRUSTED_HOSTS", raising=False)
    client = _app(tmp_path).test_client()
    assert client.get("/login", base_url="https://anything.example").status_code == 400
    assert client.get("/login", base_url="http://192.168.1.10:5000").status_code == 200
    assert client.get("/login", base_url="http://localhost").status_code == 200
