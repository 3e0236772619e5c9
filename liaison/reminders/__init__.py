"""Reminder rules and their registry.

An app offers rules in its own ``<app>/reminders.py`` as a module-level list ``rules``; the sweep asks every
installed app, like the workbench cards (the reminders app's own rule, for 督办事项, is in
``liaison/reminders/reminders.py``). This package is imported while Django loads the apps (it holds the
AppConfig), so it imports no model at the top. A rule says what is due on given dates::

    class DeadlineRule(OffsetRule):
        key = "proposals.deadline"
        template_key = "proposals/deadline"
        offsets_setting = "REMINDER_DEADLINE_OFFSETS_DAYS"
        date_field = "reply_due_on"

        def queryset(self):
            return Proposal.objects.filter(status__in=OPEN)

        def recipients(self, proposal):
            return proposal.unit_user_ids()

``due(dates)`` yields :class:`Due` items for the nominal due dates the sweep covers (today, plus on a working day
the rest days that follow, see :mod:`liaison.reminders.calendar`); the sweep claims each one once. Rules iterate
their querysets in chunks (``.iterator(chunk_size=...)``) so memory stays bounded whatever the table size.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps as app_registry  # not ``apps``: that name is this package's apps.py

from liaison.reminders.settings import reminder_setting

ITERATOR_CHUNK = 2000


@dataclass(frozen=True)
class Due:
    """One reminder that is due: about ``object_type`` #``object_id``, to user ``recipient_id``, for ``due_on``."""

    object_type: str
    object_id: str
    recipient_id: int
    due_on: datetime.date
    context: dict = field(default_factory=dict)
    link: str = ""


class Rule:
    key = ""  # unique, e.g. "proposals.deadline"; stored in every Reminder row
    template_key = ""  # templates/notifications/<template_key>.txt
    label = ""  # shown to staff in the admin filter

    def due(self, dates: list[datetime.date]) -> Iterable[Due]:
        raise NotImplementedError


class OffsetRule(Rule):
    """Reminds ``offsets`` days before each open object's ``date_field`` (0 = on the day).

    Subclasses give ``queryset()`` (open objects only), ``recipients(obj)`` (user ids) and optionally
    ``context(obj, offset)`` and ``link(obj)``. ``values`` lists the fields to load (keep rows small).
    """

    offsets_setting = ""  # name of a settings / ReminderSetting key holding a list of day offsets
    offsets_default = None  # used when settings.py has no such key (None: the key must exist)
    date_field = ""
    object_type = ""  # defaults to the queryset model's label_lower

    def offsets(self) -> list[int]:
        if self.offsets_default is None:
            return [int(n) for n in reminder_setting(self.offsets_setting)]
        return [int(n) for n in reminder_setting(self.offsets_setting, default=self.offsets_default)]

    def queryset(self):
        raise NotImplementedError

    def recipients(self, obj) -> Iterable[int]:
        raise NotImplementedError

    def context(self, obj, offset: int) -> dict:
        return {"title": str(obj), "days": offset}

    def link(self, obj) -> str:
        get_url = getattr(obj, "get_absolute_url", None)
        return get_url() if get_url else ""

    def targets(self, dates) -> dict:
        """Target date (e.g. the deadline) -> [(nominal reminder date, offset), ...] for the dates swept."""
        offsets = self.offsets()
        by_target = {}
        for day in dates:
            for offset in offsets:
                by_target.setdefault(day + datetime.timedelta(days=offset), []).append((day, offset))
        return by_target

    def due(self, dates):
        by_target = self.targets(dates)
        if not by_target:
            return
        qs = self.queryset().filter(**{f"{self.date_field}__in": list(by_target)}).order_by("pk")
        object_type = self.object_type or qs.model._meta.label_lower
        for obj in qs.iterator(chunk_size=ITERATOR_CHUNK):
            link = self.link(obj)
            recipients = list(self.recipients(obj))
            for due_on, offset in by_target[getattr(obj, self.date_field)]:
                context = self.context(obj, offset)
                for recipient_id in recipients:
                    yield Due(object_type, str(obj.pk), recipient_id, due_on, context, link)


def discover_rules() -> list[Rule]:
    """Every rule offered by an installed app's ``reminders`` module, keyed uniquely."""
    found = {}
    for config in app_registry.get_app_configs():
        try:
            module = import_module(f"{config.name}.reminders")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.reminders":
                raise
            continue
        for rule in getattr(module, "rules", []):
            if rule.key in found:
                raise ValueError(f"reminder rule {rule.key!r} is registered twice")
            found[rule.key] = rule
    return list(found.values())


def rule_by_key(key: str) -> Rule | None:
    return next((rule for rule in discover_rules() if rule.key == key), None)


def iter_due(rules: Iterable[Rule], dates) -> Iterator[tuple[Rule, Due]]:
    for rule in rules:
        for item in rule.due(dates):
            yield rule, item


__all__ = ["Due", "OffsetRule", "Rule", "discover_rules", "iter_due", "rule_by_key"]
