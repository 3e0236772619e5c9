"""Every public page (no sign-in needed) fits the screen at 360 px (a phone) and at 1366 px (an office screen):
no horizontal scrolling of the page, and no element reaching past the right edge unless it sits inside a container
that scrolls sideways on its own (a wide table in .table-responsive, a tab strip that scrolls)."""

import pytest
from django.core.management import call_command

from deputies.models import Deputy
from stations.models import Station
from votes.models import Project, VoteSession

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": (360, 740), "desktop": (1366, 768)}

# Elements whose right edge lies beyond the viewport, ignoring those inside a sideways-scrolling container or
# hidden (zero size, visually-hidden helpers, closed collapses).
OVERFLOWING = """
(width) => {
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      if ((style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden')
          && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right <= width + 1) continue;
    if (scrolls(el)) continue;
    const style = getComputedStyle(el);
    if (style.position === 'fixed' || style.visibility === 'hidden') continue;
    out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} `
             + `right=${Math.round(box.right)} "${(el.textContent || '').trim().slice(0, 30)}"`);
  }
  return out.slice(0, 8);
}
"""


def public_paths():
    station = Station.objects.order_by("pk").first()
    deputy = Deputy.objects.order_by("pk").first()
    session = VoteSession.objects.filter(status=VoteSession.Status.PUBLISHED).order_by("pk").first()
    project = Project.objects.order_by("pk").first()
    paths = [
        "/public/",
        "/public/deputies/",
        f"/public/deputies/{deputy.pk}/",
        "/public/stories/",
        "/stations/directory/",
        "/stations/directory/?lat=27.83&lng=113.15",  # sorted by distance, a distance on each card (issue 21)
        f"/stations/s/{station.pk}/",
        f"/stations/s/{station.pk}/opinion/",
        f"/stations/d/{deputy.pk}/opinion/",
        "/stations/track/",
        "/votes/results/",
        "/votes/projects/",
        f"/votes/projects/{project.pk}/",
        "/accounts/login/",
    ]
    if session is not None:
        paths.append(f"/votes/results/{session.pk}/")
    return paths


def overflow_of(page):
    """The page's scroll width and the elements past the right edge. On a phone (is_mobile) Chromium widens the
    layout viewport to fit wide content (window.innerWidth grows with it), so both are measured against the
    device width the context was given, not against innerWidth."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    elements = page.evaluate(OVERFLOWING, width)
    if scroll_width > width or elements:
        return {"scrollWidth": scroll_width, "width": width, "elements": elements}
    return None


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
@pytest.mark.parametrize("size", list(WIDTHS), ids=list(WIDTHS))
def test_public_pages_fit_the_screen(browser, live_server, size, locale):
    call_command("load_demo", verbosity=0)
    # a station whose texts hold long unbroken words (a web address, a long number), as real ones do
    Station.objects.filter(pk=Station.objects.order_by("pk").values("pk")[:1]).update(
        address="株洲市天元区嵩山路街道https://www.zhuzhou.gov.cn/c/2024/06/18/renda-daibiao-lianluozhan-songshanlu.html",
        opening_hours="每周一至周五09:00-12:00/14:30-17:30（节假日另行通知）" * 2,
        introduction="联络站微信公众号：zhuzhoutianyuansongshanlujiedaorendadaibiaolianluozhan2024",
    )
    width, height = WIDTHS[size]
    context = browser.new_context(
        locale=locale, viewport={"width": width, "height": height}, is_mobile=width < 800, has_touch=width < 800
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = {}
    try:
        for path in public_paths():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status < 400, (path, response.status)
            page.wait_for_load_state("networkidle")
            if problem := overflow_of(page):
                problems[path] = problem
        # the thank-you page after a real submission through the station's QR form
        station = Station.objects.order_by("pk").first()
        page.goto(f"{live_server.url}/stations/s/{station.pk}/opinion/")
        page.select_option("select[name=category]", index=1)
        page.fill("textarea[name=content]", "小区门口路灯坏了两个月，晚上出行很不方便，希望尽快修复。")
        page.fill("input[name=mobile]", "13800138000")
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/stations/opinion/thanks/" in page.url, page.url
        if problem := overflow_of(page):
            problems["/stations/opinion/thanks/"] = problem
    finally:
        context.close()
    assert problems == {}


def test_the_measure_sees_an_element_wider_than_the_phone(browser, live_server):
    """The check above would pass on any page if it measured against a viewport the content can widen."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        assert overflow_of(page) is None
        page.evaluate(
            "() => { const d = document.createElement('p'); d.id = 'wide'; d.className = 'text-nowrap';"
            " d.textContent = '株洲市人大代表联络站'.repeat(8); document.querySelector('main').appendChild(d); }"
        )
        problem = overflow_of(page)
    finally:
        context.close()
    assert problem["scrollWidth"] > 360
    assert any(element.startswith("p#wide") for element in problem["elements"])
