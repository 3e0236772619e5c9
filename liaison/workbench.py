"""Role workbenches are assembled from cards that each app offers in its own ``workbench.py``.

An app's module defines ``cards(user)`` returning a list of :class:`Card`; the home page asks every
installed app, so no app edits another's code to show its queue.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps


@dataclass
class Card:
    title: str
    count: int | None = None
    url: str = ""
    tone: str = "primary"  # primary, warning, danger, success, secondary
    hint: str = ""
    order: int = 100
    items: list = field(default_factory=list)


def collect_cards(user):
    cards = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.workbench")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.workbench":
                raise
            continue
        if config.name == "liaison" or not hasattr(module, "cards"):
            continue
        cards.extend(module.cards(user))
    return sorted(cards, key=lambda card: card.order)
