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


def login(page, live_server, username, password=TEST_PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


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
