"""English pages carry no full-width punctuation (，：（）etc.) in their visible text: punctuation written beside a
translated string in a template stays Chinese in English pages."""

import re
from html.parser import HTMLParser

import pytest

from tests.figures.conftest import _empty_cache, counted  # noqa: F401  (fixtures: a region with figures)

pytestmark = pytest.mark.django_db

FULL_WIDTH = re.compile(r"[，。：；！？（）【】、“”‘’《》]")
STAFF_PAGES = [
    "/",
    "/proposals/",
    "/deputies/roster/",
    "/deputies/duty-records/",
    "/stations/",
    "/dashboard/?period=year&year=2024",
    "/dashboard/report/?period=year&year=2024",
    "/notifications/",
]
PUBLIC_PAGES = ["/public/", "/public/deputies/", "/accounts/login/"]


class _Text(HTMLParser):
    """Visible text: no script or style content, no attributes."""

    def __init__(self):
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _offending(html):
    parser = _Text()
    parser.feed(html)
    return [part.strip() for part in parser.parts if FULL_WIDTH.search(part)]


def _english(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return _offending(response.content.decode())


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_anonymous_english_pages_have_no_full_width_punctuation(client, regions, url):
    assert _english(client, url) == []


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_english_pages_have_no_full_width_punctuation(client, counted, staff_zz, url):  # noqa: F811
    staff_zz.language = "en"
    staff_zz.save(update_fields=["language"])
    client.force_login(staff_zz)
    assert _english(client, url) == []


@pytest.mark.parametrize("url", ["/", "/deputies/portal/", "/proposals/"])
def test_deputy_english_pages_have_no_full_width_punctuation(client, counted, url):  # noqa: F811
    from liaison.models import User
    from tests.factories import UserFactory

    user = UserFactory(role=User.Role.DEPUTY, language="en")
    deputy = counted["seats"]["zhang"].deputy
    deputy.user = user
    deputy.save()
    client.force_login(user)
    assert _english(client, url) == []
