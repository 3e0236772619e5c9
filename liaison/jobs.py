"""The registry of long operations that run in the background (liaison.progress.run_job): what each kind is
called, who may start it, whether it needs the password typed again, and the runner that builds its file.

The kernel names no kind itself: each app registers its own in ``<app>/jobs.py``, which
:func:`autodiscover` imports for every installed app when the liaison app is ready (as the admin finds
``admin.py``), plus the modules listed in ``settings.JOB_MODULES`` (packages that are not apps)::

    from liaison import jobs

    def proposal_ledger(*, user, params, report):
        ...
        return jobs.JobResult(filename, content, jobs.XLSX_TYPE)

    jobs.register("proposals.ledger", jobs.JobKind(gettext_lazy("导出建议办理台账"), proposal_ledger))

A runner takes ``user`` (the owner, fresh from the database), ``params`` (the page's query string as a QueryDict)
and ``report`` (``report(done, total, message="")`` moves the progress bar; ``report.counting(rows, total)``
reports every few rows) and returns a :class:`JobResult`. It runs in the owner's language, reads through the same
selectors as the page, and writes the audit row the direct download would have written. A refusal it can explain
raises ``ApplicationError``. A kind's name is kept in progress records: renaming one breaks running jobs.
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.http import Http404
from django.utils.module_loading import autodiscover_modules

from liaison.access import user_is_staff

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class JobResult:
    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class JobKind:
    label: str
    runner: Callable
    allowed: Callable = user_is_staff
    needs_password: bool = False  # personal data: the password typed within REAUTH_MAX_AGE (liaison.reauth)


JOB_KINDS: dict[str, JobKind] = {}


def register(name: str, kind: JobKind) -> JobKind:
    """Offer ``kind`` under ``name`` (``"<app>.<what>"``); a name registered twice is a programming error."""
    existing = JOB_KINDS.get(name)
    if existing is not None and existing.runner is not kind.runner:
        raise ValueError(f"background job kind {name!r} is registered twice")
    JOB_KINDS[name] = kind
    return kind


def autodiscover():
    """Import every installed app's ``jobs`` module and ``settings.JOB_MODULES`` (called from LiaisonConfig.ready)."""
    autodiscover_modules("jobs")
    for name in getattr(settings, "JOB_MODULES", ()):
        import_module(name)


def job_kind(kind):
    try:
        return JOB_KINDS[kind]
    except KeyError:
        raise Http404 from None
