"""Issue 21: the public directory sorted by distance from the citizen's location (?lat=&lng=), nearest first, with
the distance on each card; stations without coordinates last; bad coordinates a Chinese 400, never a 500."""

import decimal

import pytest
from django.urls import reverse

from stations.models import Station
from stations.selectors import public_station_list
from tests.stations.factories import StationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/stations/directory/"
HERE = {"lat": "27.84", "lng": "113.15"}  # 0.01° of latitude north of the first station: about 1.1 km


def _at(region, name, lat, lng):
    return StationFactory(
        region=region,
        name=name,
        latitude=None if lat is None else decimal.Decimal(lat),
        longitude=None if lng is None else decimal.Decimal(lng),
    )


@pytest.fixture
def spread(regions):
    """Named so that the alphabetical (unsorted) order differs from the order by distance from HERE."""
    return {
        "near": _at(regions["tianyuan"], "丙·近站", "27.830000", "113.150000"),
        "middle": _at(regions["tianyuan"], "乙·中站", "27.900000", "113.200000"),
        "far": _at(regions["hengnan"], "甲·远站", "26.900000", "112.600000"),
        "nowhere": _at(regions["tianyuan"], "一·无坐标站", None, None),
    }


def _names(response):
    return [s.name for s in response.context["page"].object_list] if response.context else []


def _order(html, names):
    positions = {name: html.index(name) for name in names}
    return sorted(names, key=positions.get)


def test_sorted_by_great_circle_distance_with_stations_without_coordinates_last(client, spread):
    response = client.get(DIRECTORY, HERE)
    assert response.status_code == 200
    html = response.text
    order = _order(html, [s.name for s in spread.values()])
    assert order == ["丙·近站", "乙·中站", "甲·远站", "一·无坐标站"]
    # without a location the directory keeps its usual order (region, then name)
    plain = client.get(DIRECTORY).text
    assert _order(plain, [s.name for s in spread.values()]) != order


def test_distance_is_computed_by_haversine_in_the_database(spread):
    rows = {s.pk: s.distance_km for s in public_station_list(near=(27.84, 113.15))}
    assert rows[spread["near"].pk] == pytest.approx(1.112, abs=0.005)
    # checked against an independent haversine in Python
    assert rows[spread["far"].pk] == pytest.approx(117.79, rel=0.001)
    assert rows[spread["nowhere"].pk] is None
    # antipodal point: no ASIN domain error
    assert list(public_station_list(near=(-27.83, -66.85)))[0].pk == spread["far"].pk


def test_each_card_shows_its_distance(client, spread):
    html = client.get(DIRECTORY, HERE).text
    assert "距您约 1.1 公里" in html
    assert "未标注位置" in html  # the station without coordinates says so
    assert "已按与您所在位置的距离由近到远排列" in html
    close = client.get(DIRECTORY, {"lat": "27.831", "lng": "113.15"}).text
    assert "距您约 111 米" in close
    # no distance and no note without a location
    assert "距您约" not in client.get(DIRECTORY).text


def test_the_filters_still_apply_and_keep_the_location(client, spread):
    response = client.get(DIRECTORY, {**HERE, "region": "430211"})
    html = response.text
    assert "甲·远站" not in html  # another county
    assert _order(html, ["丙·近站", "乙·中站", "一·无坐标站"]) == ["丙·近站", "乙·中站", "一·无坐标站"]
    assert 'name="lat" value="27.84"' in html and 'name="lng" value="113.15"' in html


def test_inactive_stations_are_not_listed_by_distance(client, spread):
    Station.objects.filter(pk=spread["near"].pk).update(is_active=False)
    html = client.get(DIRECTORY, HERE).text
    assert "丙·近站" not in html
    assert html.index("乙·中站") < html.index("甲·远站")


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"lat": "abc", "lng": "113.15"}, "lat"),
        ({"lat": "27.8", "lng": "东经113"}, "lng"),
        ({"lat": "90.5", "lng": "113.15"}, "lat"),
        ({"lat": "-91", "lng": "113.15"}, "lat"),
        ({"lat": "27.8", "lng": "180.01"}, "lng"),
        ({"lat": "27.8", "lng": "-181"}, "lng"),
        ({"lat": "nan", "lng": "113.15"}, "lat"),
        ({"lat": "27.8", "lng": "inf"}, "lng"),
        ({"lat": "1e999", "lng": "113.15"}, "lat"),
        ({"lat": "27.8"}, "lng"),
        ({"lng": "113.15"}, "lat"),
    ],
)
def test_bad_coordinates_are_a_chinese_400_naming_the_parameter(client, spread, params, name):
    response = client.get(DIRECTORY, params)
    assert response.status_code == 400
    assert f"参数 {name} 无效" in response.text


def test_the_edges_of_the_ranges_are_accepted(client, spread):
    for lat, lng in (("90", "180"), ("-90", "-180"), ("0", "0")):
        assert client.get(DIRECTORY, {"lat": lat, "lng": lng}).status_code == 200


def test_a_located_page_is_not_kept_in_the_shared_cache(client, spread):
    assert "距您约 1.1 公里" in client.get(DIRECTORY, HERE).text
    Station.objects.filter(pk=spread["near"].pk).update(name="丙·改名站")
    assert "丙·改名站" in client.get(DIRECTORY, HERE).text


def test_the_english_page_says_kilometres(client, spread):
    client.cookies["django_language"] = "en"
    html = client.get(DIRECTORY, HERE, HTTP_ACCEPT_LANGUAGE="en").text
    assert "1.1 km" in html
    assert "Find liaison stations near me" in html


@pytest.mark.parametrize("count", [3, 40])
def test_a_constant_number_of_queries(client, regions, count, django_assert_max_num_queries):
    for i in range(count):
        _at(regions["tianyuan"], f"站{i:03d}", f"{27 + i / 100:.6f}", "113.000000" if i % 5 else None)
    with django_assert_max_num_queries(6):
        response = client.get(DIRECTORY, HERE)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 30)
    assert reverse("stations:directory") == DIRECTORY


def _phone(browser, **extra):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, **extra
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_with_location_granted_finds_the_nearest_station_first(browser, live_server, spread):
    # the phone stands in Hengnan county: the station that is last in the usual order is now the nearest
    context, page = _phone(browser, geolocation={"latitude": 26.91, "longitude": 112.61}, permissions=["geolocation"])
    try:
        page.goto(f"{live_server.url}{DIRECTORY}")
        cards = page.locator("[data-testid=station-directory] a")
        assert "甲·远站" not in cards.first.inner_text()
        with page.expect_navigation():
            page.get_by_role("button", name="查找附近的联络站").click()
        assert page.url.endswith("?lat=26.91000&lng=112.61000")
        assert "甲·远站" in cards.first.inner_text()
        assert "距您约 1.5 公里" in cards.first.inner_text()
        assert "未标注位置" in cards.last.inner_text()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_that_refuses_its_location_gets_a_clear_message(browser, live_server, spread):
    context, page = _phone(browser)  # no geolocation permission: the browser refuses
    try:
        page.goto(f"{live_server.url}{DIRECTORY}")
        page.get_by_role("button", name="查找附近的联络站").click()
        message = page.get_by_test_id("nearest-message")
        message.filter(has_text="您没有允许获取位置").wait_for()
        assert "lat=" not in page.url
        assert page.get_by_role("button", name="查找附近的联络站").is_enabled()
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_browser_without_location_says_so(browser, live_server, spread):
    context, page = _phone(browser)
    context.add_init_script("Object.defineProperty(navigator, 'geolocation', {value: undefined})")
    try:
        page.goto(f"{live_server.url}{DIRECTORY}")
        page.get_by_role("button", name="查找附近的联络站").click()
        assert "您的浏览器无法提供位置" in page.get_by_test_id("nearest-message").inner_text()
        assert "lat=" not in page.url
    finally:
        context.close()
