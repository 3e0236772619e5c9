"""Shared fixtures: a small region tree, users of every role, and a headless Chromium for browser tests."""

import os

import pytest

from liaison.models import Region, User
from tests.factories import TEST_PASSWORD, OrganizationFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from the test.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def regions(db):
    province = Region.objects.create(code="430000", name="湖南省", level=Region.Level.PROVINCE)
    zhuzhou = Region.objects.create(code="430200", name="株洲市", level=Region.Level.CITY, parent=province)
    tianyuan = Region.objects.create(code="430211", name="天元区", level=Region.Level.COUNTY, parent=zhuzhou)
    hengyang = Region.objects.create(code="430400", name="衡阳市", level=Region.Level.CITY, parent=province)
    hengnan = Region.objects.create(code="430422", name="衡南县", level=Region.Level.COUNTY, parent=hengyang)
    return {"province": province, "zhuzhou": zhuzhou, "tianyuan": tianyuan, "hengyang": hengyang, "hengnan": hengnan}


@pytest.fixture
def staff_zz(regions):
    return UserFactory(username="staff_zz", role=User.Role.STAFF, region=regions["zhuzhou"], is_staff=True)


@pytest.fixture
def staff_hy(regions):
    return UserFactory(username="staff_hy", role=User.Role.STAFF, region=regions["hengyang"], is_staff=True)


@pytest.fixture
def staff_province(regions):
    return UserFactory(username="staff_hn", role=User.Role.STAFF, region=regions["province"], is_staff=True)


@pytest.fixture
def unit_zz(regions):
    org = OrganizationFactory(region=regions["zhuzhou"], name="株洲市住房和城乡建设局")
    return UserFactory(username="unit_zz", role=User.Role.UNIT, organization=org)


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _needs_second_factor(user):
    from django.conf import settings

    return getattr(settings, "STAFF_REQUIRE_OTP", False) and (user.is_superuser or user.role == User.Role.STAFF)


def otp_device(user):
    """The user's confirmed TOTP device (created on first use), as a member of staff enrols one in production."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="测试手机", confirmed=True)


def otp_token(device):
    """The device's current six-digit token, as the staff member's authenticator app shows it. A TOTP token is
    accepted once per 30-second step: ``last_t`` is reset so a test that logs in twice within a step is not
    refused (as if the next step had come)."""
    from django_otp.oath import totp

    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def login(page, live_server, username, password=TEST_PASSWORD):
    """Sign in through the login page; a member of staff then types a real TOTP token at the second-factor page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    user = User.objects.filter(username=username).first()
    device = otp_device(user) if user is not None and _needs_second_factor(user) else None
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if device is not None and "/accounts/otp/" in page.url:
        page.fill("input[name=otp_token]", otp_token(device))
        page.click("form:has(input[name=otp_token]) button[type=submit]")  # not the header's logout button
        page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _verified_forced_logins(request, monkeypatch):
    """``client.force_login(staff)`` also passes the second factor, with a real django-otp TOTP device, as
    ``django_otp.login`` marks the session after a valid token (production requires it: STAFF_REQUIRE_OTP).
    A test of the second factor itself opts out with ``@pytest.mark.otp_unverified``."""
    if request.node.get_closest_marker("otp_unverified"):
        return
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if _needs_second_factor(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = otp_device(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (the production Redis backend, in its own database: see
    config/settings/test.py): a count kept by one test is never read by the next."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language (Chinese): a request in English leaves its thread in English
    (LocaleMiddleware activates a language and nothing deactivates it), and the next test's gettext would follow."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def sms_outbox():
    """The in-memory SMS outbox, emptied for every test."""
    from liaison import sms

    sms.outbox.clear()
    return sms.outbox
