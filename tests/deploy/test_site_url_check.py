"""liaison.E102: production refuses to run with e-mail and SMS links pointing to loopback or nowhere."""

import os
import subprocess
import sys

import pytest

from tests.liaison.test_deploy import PRODUCTION_ENV, ROOT


def run_check(site_url):
    env = {k: v for k, v in {**os.environ, **PRODUCTION_ENV}.items() if k != "NOTIFICATION_SITE_URL"}
    if site_url is not None:
        env["NOTIFICATION_SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("site_url", [None, "", "http://127.0.0.1:8000", "https://localhost", "http://[::1]/", "x"])
def test_unset_or_loopback_site_url_is_an_error(site_url):
    result = run_check(site_url)
    assert result.returncode != 0
    assert "liaison.E102" in result.stderr


def test_a_public_site_url_passes():
    result = run_check("https://liaison.example.gov.cn")
    assert result.returncode == 0, result.stderr
    assert "E102" not in result.stdout + result.stderr


def test_development_settings_keep_the_loopback_default(settings):
    from liaison.checks import check_notification_site_url

    assert settings.NOTIFICATION_SITE_URL.startswith("http://127.0.0.1")
    assert check_notification_site_url() == []
    settings.LIAISON_PRODUCTION = True
    assert [error.id for error in check_notification_site_url()] == ["liaison.E102"]
