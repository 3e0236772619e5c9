"""Language per user: the header switch saves it on the user, it holds across logout / login and other browsers,
and messages to the user are written in it. Anonymous citizens keep the cookie."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from liaison.models import AuditLog, User
from liaison.notifications.services import notify
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy():
    return UserFactory(username="deputy_lang", role=User.Role.DEPUTY, display_name="李代表")


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def switch(client, language, next_url="/notifications/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_switching_to_english_is_kept_after_logging_out_and_in_again(client, deputy):
    log_in(client, "deputy_lang")
    response = switch(client, "en")
    assert (response.status_code, response["Location"]) == (302, "/notifications/")
    deputy.refresh_from_db()
    assert deputy.language == "en"
    assert AuditLog.objects.filter(actor=deputy, action="user.language_set", data={"language": "en"}).count() == 1
    assert "<h1" in (page := client.get("/notifications/").content.decode()) and "Inbox" in page

    client.post(reverse("logout"))
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()  # the cookie follows the user
    log_in(client, "deputy_lang")
    page = client.get("/notifications/").content.decode()
    assert '<html lang="en">' in page and "Inbox" in page


def test_the_saved_language_wins_in_a_fresh_browser_over_its_accept_language(deputy):
    User.objects.filter(pk=deputy.pk).update(language="en")
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert '<html lang="zh-CN">' in browser.get(reverse("login")).content.decode()
    response = log_in(browser, "deputy_lang")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # set with the login answer
    page = browser.get("/notifications/").content.decode()
    assert '<html lang="en">' in page and "Inbox" in page


def test_switching_back_to_chinese_is_saved_too(client, deputy):
    User.objects.filter(pk=deputy.pk).update(language="en")
    log_in(client, "deputy_lang")
    switch(client, "zh-hans")
    deputy.refresh_from_db()
    assert deputy.language == "zh-hans"
    assert "消息中心" in client.get("/notifications/").content.decode()


def test_an_unknown_language_changes_nothing(client, deputy):
    log_in(client, "deputy_lang")
    switch(client, "fr")
    deputy.refresh_from_db()
    assert deputy.language == "zh-hans"
    assert not AuditLog.objects.filter(action="user.language_set").exists()


def test_anonymous_citizens_switch_with_the_cookie_only(client):
    response = switch(client, "en", next_url=reverse("login"))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get(reverse("login")).content.decode()
    assert not AuditLog.objects.filter(action="user.language_set").exists()


def test_the_header_switch_is_a_csrf_protected_post_without_inline_script(deputy):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(deputy)
    page = browser.get("/notifications/").content.decode()
    form = page[page.index('<form action="/i18n/setlang/"') :]
    form = form[: form.index("</form>")]
    assert 'method="post"' in form and 'name="csrfmiddlewaretoken"' in form
    assert "<script" not in form and "onclick" not in form and "style=" not in form
    assert browser.post(reverse("set_language"), {"language": "en"}).status_code == 403  # no token, no change
    deputy.refresh_from_db()
    assert deputy.language == "zh-hans"


def test_a_message_to_an_english_user_is_english_and_to_a_chinese_user_chinese(deputy):
    english = UserFactory(username="deputy_en", role=User.Role.DEPUTY, language="en")
    context = {"title": "Audit report", "days": 0}
    assert notify(english, "follow_up_due", context).title == "Follow-up reminder: Audit report"
    assert notify(deputy, "follow_up_due", context).title == "督办事项提醒：Audit report"
