"""Form behaviour in Chromium: typed input survives a failed submit, errors sit by the field in Chinese, a data-once
form cannot be sent twice, data-confirm asks first, and the language choice persists."""

import pytest

from liaison.models import User
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(regions):
    return UserFactory(username="staff_zz", role=User.Role.STAFF, region=regions["zhuzhou"], is_staff=True)


def test_login_form_keeps_the_user_name_and_shows_the_error_next_to_the_empty_field(page, live_server, staff):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "staff_zz")
    page.click("button[type=submit]")
    page.wait_for_selector("#id_password_error")
    assert page.input_value("input[name=username]") == "staff_zz"
    assert page.inner_text("#id_password_error") == "该字段是必填项。"
    assert page.get_attribute("#id_password", "aria-invalid") == "true"
    assert page.get_attribute("#id_password", "aria-describedby") == "id_password_error"
    assert "is-invalid" in page.get_attribute("#id_password", "class")


def test_wrong_password_keeps_the_user_name_and_explains_in_chinese(page, live_server, staff):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "staff_zz")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=form-error]")
    assert page.input_value("input[name=username]") == "staff_zz"
    assert page.input_value("input[name=password]") == ""
    assert page.inner_text("[data-testid=form-error]") == (
        "用户名（手机号）或密码不正确。注意：连续多次失败后账号将被暂时锁定。"
    )


def test_data_once_form_is_submitted_only_once(page, live_server, staff):
    page.goto(f"{live_server.url}/accounts/login/")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    # Two submit events in a row, as a double click or a double Enter produces: the second is cancelled.
    prevented = page.evaluate(
        """() => {
            const form = document.querySelector("form[data-once]");
            const fire = () => { const e = new Event("submit", {bubbles: true, cancelable: true});
                                 form.dispatchEvent(e); return e.defaultPrevented; };
            return [fire(), fire()];
        }"""
    )
    assert prevented == [False, True]
    button = page.locator("form[data-once] button[type=submit]")
    assert button.get_attribute("aria-disabled") == "true"
    assert "disabled" in button.get_attribute("class")
    assert posts == []  # synthetic events send nothing; the real submit below is the only request

    page.reload()
    page.fill("input[name=username]", "staff_zz")
    page.fill("input[name=password]", "Test-password-2024!")
    page.locator("form[data-once]").evaluate("form => { form.requestSubmit(); form.requestSubmit(); }")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # the workbench, or the second factor for staff
    assert len([u for u in posts if u.endswith("/accounts/login/")]) == 1


def test_every_post_form_is_guarded_against_a_second_submit_even_without_data_once(page, live_server, staff):
    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/notifications/settings/")
    forms = page.evaluate(
        """() => Array.from(document.querySelectorAll("form[method=post]:not([data-once]):not([hx-post])"))
                  .map(form => { const fire = () => { const e = new Event("submit", {bubbles: true, cancelable: true});
                                                      form.dispatchEvent(e); return e.defaultPrevented; };
                                 return [form.getAttribute("action"), fire(), fire()]; })"""
    )
    assert {action for action, *_ in forms} >= {"/accounts/logout/", "/i18n/setlang/"}
    assert all(first is False and second is True for _action, first, second in forms), forms


def test_confirm_dialog_asks_before_acting(page, live_server, staff):
    login(page, live_server, "staff_zz")
    # A confirmable logout button stands in for any destructive action.
    page.evaluate(
        """() => { const b = document.querySelector("form[action='/accounts/logout/'] button");
                   b.setAttribute("data-confirm", "确定退出吗？"); }"""
    )
    page.click("form[action='/accounts/logout/'] button")
    dialog = page.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    assert page.inner_text("[data-confirm-message]") == "确定退出吗？"
    page.click("#confirm-dialog [data-bs-dismiss=modal].btn")
    dialog.wait_for(state="hidden")
    assert page.url == f"{live_server.url}/"
    page.click("form[action='/accounts/logout/'] button")
    dialog.wait_for(state="visible")
    page.click("[data-confirm-ok]")
    page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_language_switch_persists_across_pages(page, live_server, staff):
    login(page, live_server, "staff_zz")
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Liaison workbench"
    page.goto(f"{live_server.url}/deputies/roster/")
    assert page.locator("h1").inner_text() == "Deputy roster"
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("[data-testid=language-switch]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "代表名册"
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_pages_raise_no_content_security_policy_errors(page, live_server, staff):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server, "staff_zz")
    pages = ["/", "/deputies/roster/", "/admin/", "/no-such-page/"]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
