"""``makemessages`` finds the words of the Jinja2 partials (``<app>/jinja2/**/*.jinja``), plural ones too, and the
English catalogue has them: the real command runs over copies of the partials into a temporary catalogue."""

import datetime
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.utils import translation

from liaison.jinja2 import PARTIAL_SUFFIX, render_partial
from tests.liaison.test_i18n_catalogue import read_catalogue

BASE = Path(settings.BASE_DIR)


def partials():
    found = sorted(
        path for path in BASE.glob(f"*/jinja2/**/*{PARTIAL_SUFFIX}") if not path.is_relative_to(BASE / ".venv")
    )
    assert len(found) >= 5  # the proposal, assignment, opinion and duty record rows, the cards
    return found


def words_used(path):
    """(msgid, msgid_plural or None) of every gettext call in a partial, as Jinja2's own parser reads them."""
    words = set()
    for _lineno, _function, message in engines["jinja2"].env.extract_translations(path.read_text(encoding="utf-8")):
        strings = [s for s in (message if isinstance(message, tuple) else (message,)) if s is not None]
        words.add((strings[0], strings[1] if len(strings) > 1 else None))
    return words


def test_the_partials_use_words_in_both_forms():
    used = set().union(*(words_used(path) for path in partials()))
    assert ("重点督办", None) in used and ("%(n)s 次", "%(n)s 次") in used


def test_makemessages_extracts_every_word_of_the_partials(tmp_path, settings, monkeypatch):
    for path in partials():
        copy = tmp_path / path.relative_to(BASE)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
    (tmp_path / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]  # never the project's catalogue
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], extensions=["jinja"], verbosity=0)
    extracted = read_catalogue(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    found = {(entry["msgid"], entry.get("msgid_plural")) for entry in extracted}
    catalogue = {(entry["msgid"], entry.get("msgid_plural")): entry for entry in read_catalogue()}
    for path in partials():
        for word in words_used(path):
            assert word in found, f"makemessages missed {word} of {path.relative_to(BASE)}"
            assert word in catalogue, f"{word} of {path.relative_to(BASE)} is not in locale/en"
            assert all(value for key, value in catalogue[word].items() if key.startswith("msgstr"))
    references = "\n".join(path.read_text(encoding="utf-8") for path in (tmp_path / "locale").rglob("*.po"))
    assert "proposals/jinja2/proposals/_assignment_rows.jinja:" in references  # the partial, not a work file


@pytest.mark.django_db
def test_a_partial_speaks_english_in_english():
    row = {
        "id": 7,
        "proposal_id": 3,
        "deadline": datetime.date(2024, 6, 18),
        "completed_at": None,
        "proposal__status": "assigned",
        "proposal__number": "12",
        "proposal__title": "路灯",
        "proposal__lead_deputy__name": "张三",
        "unit__name": "住建局",
        "role": "lead",
        "before_contacts": 2,
        "contact_count": 2,
    }
    context = {"rows": [row, {**row, "before_contacts": 0}], "today": datetime.date(2024, 6, 20)}
    context["deadline_flag"] = lambda row, today: "overdue"
    with translation.override("en"):
        english = render_partial("proposals/_assignment_rows.jinja", context)
    with translation.override("zh-hans"):
        chinese = render_partial("proposals/_assignment_rows.jinja", context)
    assert "Overdue" in english and "2 times" in english and "No contact before handling" in english
    assert "June 18, 2024" in english or "Jun 18, 2024" in english
    assert "已逾期" not in english and "已逾期" in chinese and "2 次" in chinese and "2024年6月18日" in chinese
