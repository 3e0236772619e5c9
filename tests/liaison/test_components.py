"""The design system's building blocks: status registry and badge, sortable and paged lists, form fields, dates,
translations, progress records."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from deputies.models import Membership
from liaison import listing, progress, status
from tests.factories import MembershipFactory

rf = RequestFactory()


@pytest.fixture(autouse=True)
def chinese_by_default():
    """The test client's LocaleMiddleware leaves its language active in the thread; start each test in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def render(source, context=None, request=None):
    template = Template("{% load portal i18n %}" + source)
    if request is not None:
        request.user = getattr(request, "user", AnonymousUser())
        return template.render(RequestContext(request, context or {}))
    return template.render(Context(context or {}))


# --- status registry and badge -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code", "word"),
    [
        ("proposal", "accepted", "已立案待交办"),
        ("proposal", "assigned", "办理中"),
        ("proposal", "replied", "已答复待评价"),
        ("proposal", "overdue", "逾期"),
        ("proposal", "closed", "已办结"),
        ("opinion", "untriaged", "待处理"),
        ("opinion", "hotline", "转12345"),
        ("vote", "open", "投票中"),
        ("vote", "closed", "已计票"),
        ("membership", "terminated", "资格终止"),
    ],
)
def test_registry_gives_the_same_word_for_a_status(kind, code, word):
    assert str(status.status_info(code, kind=kind).label) == word
    assert str(status.label(kind, code)) == word


def test_every_registered_tone_has_a_colour_in_the_stylesheet():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text(encoding="utf-8")
    tones = {tone for table in status.STATUSES.values() for _word, tone in table.values()}
    for tone in tones - {status.NEUTRAL}:
        assert f".status-badge.tone-{tone}" in css


def test_badge_renders_registry_label_and_tone():
    html = render('{% status_badge "overdue" %}')
    assert html == '<span class="badge status-badge tone-danger status-overdue" data-status="overdue">逾期</span>'


def test_badge_include_keeps_its_parameters():
    html = render('{% include "components/status_badge.html" with status="in_office" label="在任" %}')
    assert 'class="badge status-badge tone-success status-in_office"' in html
    assert ">在任</span>" in html


def test_unknown_status_falls_back_to_given_label_and_neutral_tone():
    html = render('{% status_badge "paused" "已暂停" %}')
    assert 'tone-neutral status-paused"' in html
    assert ">已暂停</span>" in html


def test_ambiguous_code_uses_kind_or_the_callers_label():
    assert str(status.status_info("closed", kind="vote").label) == "已计票"
    assert str(status.status_info("closed", label="已计票").label) == "已计票"
    assert status.status_info("closed", label="已计票").tone == status.NEUTRAL
    assert status.status_info("closed", label="已办结").tone == status.SUCCESS
    assert status.status_info("draft", label="草稿").tone == status.MUTED


def test_badge_label_is_translated_to_english():
    with translation.override("en"):
        assert ">Overdue</span>" in render('{% status_badge "overdue" %}')


def test_badge_escapes_a_given_label():
    assert "&lt;b&gt;" in render('{% status_badge "x" label %}', {"label": "<b>"})


# --- lists: sort and page in the URL ---------------------------------------------------------------------------


@pytest.fixture
def memberships(db):
    return [MembershipFactory(deputy__name=name) for name in ("丙", "甲", "乙")]


def test_sort_queryset_applies_an_allowed_key_in_either_direction(memberships):
    allowed = {"name": "deputy__name"}
    qs, sort = listing.sort_queryset(rf.get("/?sort=-name"), Membership.objects.all(), allowed, default="name")
    assert sort == "-name"
    assert [m.deputy.name for m in qs] == sorted(["丙", "甲", "乙"], reverse=True)


@pytest.mark.parametrize("value", ["password", "deputy__user__password", "--name", "name-", ""])
def test_sort_queryset_ignores_keys_off_the_allow_list(memberships, value):
    qs, sort = listing.sort_queryset(rf.get("/", {"sort": value}), Membership.objects.all(), {"name": "deputy__name"})
    assert sort is None
    assert qs.query.order_by == ()


@pytest.mark.parametrize(("asked", "size"), [("500", 100), ("0", 1), ("abc", 20), ("35", 35)])
def test_page_size_is_capped_at_100(asked, size):
    assert listing.page_size(rf.get("/", {"page_size": asked})) == size


def test_paginate_shows_the_last_page_for_a_page_past_the_end(memberships):
    page = listing.paginate(rf.get("/?page=99&page_size=2"), Membership.objects.order_by("pk"))
    assert page.number == 2
    assert len(page.object_list) == 1


def test_sort_link_toggles_direction_and_keeps_filters_but_not_page():
    request = rf.get("/deputies/roster/?status=in_office&page=3&sort=name")
    html = render('{% sort_link "name" "姓名" %}', request=request)
    assert 'href="?status=in_office&amp;sort=-name"' in html
    assert 'data-sort="ascending"' in html
    header = render('{% sort_header "congress" "人大" %}', request=request)
    assert header.startswith('<th scope="col" class="" aria-sort="none">')
    assert 'href="?status=in_office&amp;sort=congress"' in header


def test_pagination_links_keep_filters_and_sort(memberships):
    request = rf.get("/x/?status=in_office&sort=-name&page=1&page_size=1")
    page = listing.paginate(request, Membership.objects.order_by("pk"))
    html = render('{% include "components/pagination.html" %}', {"page": page}, request=request)
    assert 'data-total="3"' in html
    assert "共 3 条" in html
    assert 'href="?status=in_office&amp;sort=-name&amp;page=2&amp;page_size=1"' in html
    assert "第 1 / 3 页" in html


def test_data_table_renders_sortable_headers_rows_and_empty_state(memberships):
    request = rf.get("/?sort=name")
    page = listing.paginate(request, Membership.objects.order_by("pk"))
    columns = [{"label": "姓名", "sort": "name"}, {"label": "状态"}]
    context = {"page": page, "columns": columns, "row_template": "components/tests/membership_row.html"}
    html = render('{% include "components/data_table.html" %}', context, request=request)
    assert 'aria-sort="ascending"' in html
    assert html.count('<tr class="test-row">') == 3
    empty = listing.paginate(request, Membership.objects.none())
    html = render('{% include "components/data_table.html" %}', dict(context, page=empty), request=request)
    assert "没有符合条件的记录" in html
    assert "<table" not in html


# --- forms: errors next to the field, input kept ---------------------------------------------------------------


class SampleForm(forms.Form):
    title = forms.CharField(label="标题", max_length=10, help_text="不超过 10 个字")
    mobile = forms.CharField(label="手机号")
    kind = forms.ChoiceField(label="类别", choices=[("a", "建议"), ("b", "议案")])
    agree = forms.BooleanField(label="同意", required=False)


def test_form_field_keeps_typed_input_and_shows_the_chinese_error_next_to_it():
    form = SampleForm(data={"title": "一二三四五六七八九十十一", "mobile": "", "kind": "b"})
    assert not form.is_valid()
    html = render("{% form_field form.title %}{% form_field form.mobile %}{% form_field form.kind %}", {"form": form})
    assert 'value="一二三四五六七八九十十一"' in html
    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert re.search(r'id="id_title_error">\s*确保该变量包含不超过 10 字符 \(目前字符数 12\)。', html)
    assert 'id="id_mobile_error">该字段是必填项。' in html
    assert '<option value="b" selected>议案</option>' in html
    assert 'class="form-select"' in html


def test_form_component_renders_every_field_and_blocks_double_submission():
    form = SampleForm(data={"title": "", "mobile": "13800000000", "kind": "a"})
    form.is_valid()
    html = render(
        '{% include "components/form.html" with form=form submit_label="保存" %}', {"form": form}, request=rf.get("/")
    )
    assert "data-once" in html
    assert "请按提示修改后再提交。" in html
    assert 'value="13800000000"' in html
    assert 'class="form-check-input"' in html
    assert ">保存</button>" in html


# --- dates and languages ---------------------------------------------------------------------------------------


def test_dates_use_chinese_format_in_zh_hans_and_english_in_en():
    day = datetime.date(2024, 6, 18)
    with translation.override("zh-hans"):
        assert render("{{ day }}", {"day": day}) == "2024年6月18日"
        assert render('{{ day|date:"DATE_FORMAT" }}', {"day": day}) == "2024年6月18日"
    with translation.override("en"):
        assert render("{{ day }}", {"day": day}) == "June 18, 2024"


def test_english_catalogue_is_complete_and_compiled():
    po = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    text = po.read_text(encoding="utf-8")
    entries = re.findall(r'\nmsgid "(.+)"\nmsgstr ""\n', text)
    assert entries == [], f"untranslated: {entries}"
    assert "#, fuzzy" not in text
    assert mo.exists()
    pairs = re.findall(r'\n(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.+)"\n', text)
    assert len(pairs) > 200
    with translation.override("en"):

        def translated(context, msgid):
            return translation.pgettext(context, msgid) if context else translation.gettext(msgid)

        stale = [
            msgid for context, msgid, msgstr in pairs if "\\" not in msgstr and translated(context, msgid) != msgstr
        ]
        assert stale == [], f"the .mo is older than the .po (run compilemessages): {stale[:5]}"
    with translation.override("en"):
        assert translation.gettext("已立案待交办") == "Accepted, to assign"
        assert translation.gettext("人大代表联络工作平台") == "Deputy Liaison Portal"


def test_html_lang_follows_the_language(client, db):
    assert '<html lang="zh-CN">' in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    body = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


# --- other components ------------------------------------------------------------------------------------------


def test_timeline_shows_status_words_in_order():
    events = [
        {"at": datetime.datetime(2024, 6, 18, 9, 30, tzinfo=datetime.UTC), "to_status": "accepted", "actor": "李娟"},
        {"at": datetime.datetime(2024, 6, 20, 9, 30, tzinfo=datetime.UTC), "to_status": "assigned", "note": "交办会"},
    ]
    html = render('{% include "components/timeline.html" with events=events kind="proposal" %}', {"events": events})
    assert html.index("待交办") < html.index("办理中")
    assert "2024年6月18日" in html


def test_page_header_includes_the_actions_template():
    html = render(
        '{% include "components/page_header.html" with title="建议" actions="components/tests/actions.html" %}'
    )
    assert "<h1" in html
    assert 'class="page-header-actions' in html
    assert "新建建议" in html


def test_tabs_and_stat_card_mark_the_current_item():
    tabs = [{"url": "?tab=a", "label": "全部", "active": True, "count": 3}, {"url": "?tab=b", "label": "逾期"}]
    html = render('{% include "components/tabs.html" with tabs=tabs %}', {"tabs": tabs})
    assert 'aria-current="page">全部 <span class="badge rounded-pill tab-count">3</span>' in html
    card = render('{% include "components/stat_card.html" with label="逾期" value=4 url="/x/" tone="danger" %}')
    assert 'href="/x/"' in card
    assert "tone-danger" in card


def test_progress_record_is_polled_until_finished_and_belongs_to_its_owner(db, staff_zz, staff_hy):
    job = progress.progress_start(user=staff_zz, label="导出建议台账", total=40)
    progress.progress_update(job.key, done=10)
    request = rf.get("/p/")
    request.user = staff_zz
    html = progress.progress_response(request, job.key, poll_url="/p/").content.decode()
    assert 'hx-get="/p/"' in html
    assert "progress-w-25" in html
    assert "已处理 10 / 40" in html
    progress.progress_finish(job.key, result_url="/files/1.xlsx")
    html = progress.progress_response(request, job.key, poll_url="/p/").content.decode()
    assert "hx-get" not in html
    assert 'href="/files/1.xlsx"' in html
    request.user = staff_hy
    with pytest.raises(Exception) as excinfo:
        progress.progress_response(request, job.key, poll_url="/p/")
    assert excinfo.type.__name__ == "Http404"
    request.user = AnonymousUser()
