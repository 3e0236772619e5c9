"""The English catalogue is complete: every entry (multi-line and plural ones too) has English, none is fuzzy, and
each translation keeps the placeholders of its Chinese msgid."""

import ast
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$")


def read_catalogue(path=PO):
    """Entries of a .po file as dicts: ``flags`` (set) and the fields (msgid, msgid_plural, msgstr, msgstr[0] …)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, field = {"flags": set()}, None
        for line in block.strip("\n").splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += ast.literal_eval(line)
            else:
                match = KEYWORD.match(line)
                assert match, f"unreadable line in {path.name}: {line!r}"
                field = match.group(1)
                entry[field] = ast.literal_eval(match.group(2))
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_catalogue_reader_sees_multiline_and_plural_entries():
    entries = read_catalogue()
    assert len(entries) > 900
    assert any("\n" in e["msgid"] or len(e["msgid"]) > 70 for e in entries)
    assert any("msgid_plural" in e for e in entries)


def test_every_english_entry_is_translated_and_not_fuzzy():
    entries = read_catalogue()
    untranslated = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_english_forms():
    plurals = [e for e in read_catalogue() if "msgid_plural" in e]
    for entry in plurals:
        assert entry.get("msgstr[0]") and entry.get("msgstr[1]"), entry["msgid"]


def test_translations_keep_the_placeholders_of_their_msgid():
    wrong = []
    for entry in read_catalogue():
        expected = sorted(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
        for text in translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append((entry["msgid"], text))
    assert wrong == []


def test_compiled_catalogue_gives_english_for_strings_of_each_app():
    with translation.override("en"):
        assert translation.gettext("终止代表资格") == "Terminate seat"
        assert translation.gettext("已立案待交办") == "Accepted, to assign"
        assert translation.gettext("代表联络站") == "Liaison station"
        assert translation.gettext("民生实事项目") == "Livelihood project"
        assert translation.gettext("查询码") == "Tracking code"
        assert translation.ngettext("%(n)s 张照片", "%(n)s 张照片", 1) % {"n": 1} == "1 photo"
        assert translation.ngettext("%(n)s 张照片", "%(n)s 张照片", 3) % {"n": 3} == "3 photos"


def test_counted_messages_take_the_english_plural():
    with translation.override("en"):
        for msgid, one, many in [
            ("%(n)s 次", "1 time", "3 times"),
            ("已将 %(count)s 条消息标为已读。", "Marked 1 message as read.", "Marked 3 messages as read."),
            ("已交办 %(n)d 件建议。", "Assigned 1 proposal.", "Assigned 3 proposals."),
            ("已添加 %(n)d 件建议。", "Added 1 proposal.", "Added 3 proposals."),
            ("已处理 %(n)d 件。", "Processed 1 item.", "Processed 3 items."),
            (
                "已重新排队发送 %(n)s 条提醒。",
                "1 reminder queued for sending again.",
                "3 reminders queued for sending again.",
            ),
        ]:
            values = [{"n": n, "count": n} for n in (1, 3)]
            assert translation.ngettext(msgid, msgid, 1) % values[0] == one
            assert translation.ngettext(msgid, msgid, 3) % values[1] == many
