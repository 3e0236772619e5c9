"""The triage outcomes of a citizen's opinion (已处理, 转建议, 转12345, 无法落实): one registry that the triage
page, the API and the admin read, and that ``services.triage_opinion`` dispatches through.

Each outcome is a target status of the opinion's transition table (``services.TRANSITIONS`` from 待处理) with the
service that reaches it. Stations registers its own outcomes (StationsConfig.ready); another app adds one the same
way — the hotline app registers 转12345 in HotlineConfig.ready — so stations does not import it. Which outcomes are
offered is ``services.triage_outcomes()``: the registered ones the table allows, in the order of Opinion.Status.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """``run(*, actor, opinion, note, lead_deputy)`` moves the opinion to ``status`` and returns it; ``available()``
    says whether the outcome is offered at all (转建议 needs the proposals app)."""

    status: str
    run: Callable
    available: Callable[[], bool] = lambda: True


_registry: dict[str, Outcome] = {}


def register(status, run, *, available=None):
    """Register (or replace) the service that reaches ``status``."""
    _registry[status] = Outcome(status=status, run=run, available=available or (lambda: True))


def unregister(status):
    _registry.pop(status, None)


def get(status):
    """The outcome registered for ``status`` and available, or None."""
    outcome = _registry.get(status)
    return outcome if outcome is not None and outcome.available() else None
