"""Error pages speak Persian, inside the normal layout, with the right status."""
from __future__ import annotations

from app.web.access import access
from tests.conftest import login


def test_404_is_persian(client, make_user):
    login(client, make_user(role="staff"))
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "پیدا نشد" in html and 'dir="rtl"' in html


def test_403_is_persian(client, make_user):
    login(client, make_user(role="viewer"))
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "دسترسی ندارید" in response.get_data(as_text=True)


def test_405_is_persian(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "روش درخواست نادرست" in response.get_data(as_text=True)


def test_500_is_persian_and_hides_the_details(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @access(public=True)
    def explode():
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "خطای سامانه" in html and "secret internal detail" not in html


def test_api_paths_get_json_errors(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


def test_too_large_upload_is_refused_in_persian(app, client, make_user):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    login(client, make_user(role="staff"))
    response = client.post("/login", data={"x": "y" * 4096})
    assert response.status_code == 413
    assert "بسیار بزرگ" in response.get_data(as_text=True)
