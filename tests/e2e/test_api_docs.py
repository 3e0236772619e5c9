"""The API documentation pages in Chromium: Swagger UI and ReDoc render under the Content-Security-Policy from the
vendored sidecar files, with no request to any host but the portal and no CSP violation in the console."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KNOWN_OPERATION = "v1_deputies_list"


def _watch(page, live_server):
    """Records requests to other hosts and console errors (a CSP violation is logged as a console error)."""
    own = urlsplit(live_server.url).netloc
    foreign, errors = [], []

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != own:
            foreign.append(request.url)

    page.on("request", on_request)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return foreign, errors


def test_swagger_ui_lists_the_operations_under_the_csp(page, live_server):
    foreign, errors = _watch(page, live_server)
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock-summary-operation-id", has_text=KNOWN_OPERATION).count() == 1
    assert page.locator(".opblock").count() > 20
    page.wait_for_load_state("networkidle")
    assert foreign == []
    assert [e for e in errors if "Content Security Policy" in e] == []
    assert errors == []


def test_redoc_shows_the_operations_without_a_web_font(page, live_server):
    foreign, errors = _watch(page, live_server)
    response = page.goto(f"{live_server.url}/api/redoc/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector("[data-section-id^='tag/']")
    assert page.locator(f"[data-section-id='operation/{KNOWN_OPERATION}']").count() == 1
    assert page.get_by_text("Something went wrong").count() == 0
    page.wait_for_load_state("networkidle")
    assert foreign == []
    assert [e for e in errors if "Content Security Policy" in e] == []
    assert errors == []
