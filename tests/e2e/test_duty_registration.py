"""Issue 20 in a real browser: a deputy registers a duty from a 360 px phone and sees it in their list; staff
approve it on the review page and the deputy's list shows it approved."""

import pytest

from deputies.models import DutyRecord
from liaison.models import User
from tests.conftest import login
from tests.factories import CongressFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_deputy_registers_a_duty_from_a_phone_and_staff_approve_it(phone_page, page, live_server, regions):
    congress = CongressFactory(region=regions["zhuzhou"], name="株洲市第十六届人民代表大会")
    user = UserFactory(username="deputy_li", role=User.Role.DEPUTY, display_name="李秀英")
    MembershipFactory(congress=congress, deputy__name="李秀英", deputy__user=user)
    UserFactory(username="staff_zz", role=User.Role.STAFF, region=regions["zhuzhou"], is_staff=True)

    login(phone_page, live_server, "deputy_li")
    phone_page.click("[data-testid=duty-links] >> text=登记履职")
    phone_page.wait_for_selector("[data-testid=duty-register-form]")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 361, f"the form scrolls sideways on a phone: {width} px"
    phone_page.select_option("select[name=kind]", "inspection")
    phone_page.fill("input[name=place]", "荷塘社区")
    phone_page.fill("textarea[name=description]", "走访独居老人 8 户，收集加装电梯意见")
    phone_page.set_input_files(
        "input[name=attachment]", files=[{"name": "走访照片.png", "mimeType": "image/png", "buffer": PNG}]
    )
    phone_page.click("[data-testid=duty-register-form] button[type=submit]")
    phone_page.wait_for_selector("[data-testid=my-duty]")
    assert phone_page.url.endswith("/deputies/portal/duties/")
    item = phone_page.locator("[data-testid=my-duty]").first
    assert "走访独居老人 8 户" in item.inner_text()
    assert item.get_attribute("data-status") == "submitted"
    assert "待审核" in item.inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 361
    record = DutyRecord.objects.get()
    assert (record.status, record.place) == (DutyRecord.Status.SUBMITTED, "荷塘社区")

    login(page, live_server, "staff_zz")
    page.goto(f"{live_server.url}/deputies/duty-records/review/")
    page.click(f"[data-testid=review-queue] a[href='/deputies/duty-records/{record.pk}/review/']")
    page.wait_for_load_state("networkidle")
    assert "走访独居老人 8 户" in page.content(), page.url
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    assert "已通过 李秀英 的履职登记。" in page.content()

    phone_page.reload()
    item = phone_page.locator("[data-testid=my-duty]").first
    assert item.get_attribute("data-status") == "approved"
    assert "已通过" in item.inner_text()
