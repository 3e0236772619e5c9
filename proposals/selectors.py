"""Reads of the proposals app: lists already scoped and joined, the timeline, duplicate hints, reminder queues
and the figures staff report."""

import datetime
from collections import Counter
from functools import lru_cache

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.access import get_visible_or_404, in_region
from liaison.models import Organization, User
from proposals.models import (
    HANDLING_STATUSES,
    JOINT_SUPERVISION_STATUSES,
    Assignment,
    Attachment,
    Contact,
    CoSigner,
    JointSupervision,
    Proposal,
    ProposalStatusChange,
    Reply,
    SiteVisit,
)

S = Proposal.Status
DUE_SOON_DAYS = 14


# A proposal's units as every list shows them: the lead unit (主办) first, then the co-units (协办) in the order
# they were assigned.
UNIT_ORDER = (Case(When(role=Assignment.Role.LEAD, then=Value(0)), default=Value(1)), "id")


def _assignments_prefetch():
    return Prefetch(
        "assignments", queryset=Assignment.objects.select_related("unit").order_by(*UNIT_ORDER), to_attr="unit_list"
    )


LIST_KEYS = ("-submitted_at", "-id")  # the order of every proposal list; keyset pages walk it (liaison.listing)


def proposal_list(*, user, status=None, statuses=None, q=None, key_supervised=None):
    """Proposals the caller may see, with lead deputy, congress and units joined."""
    qs = (
        Proposal.objects.visible_to(user)
        .select_related("lead_deputy", "congress", "region")
        .prefetch_related(_assignments_prefetch())
        .order_by(*LIST_KEYS)
    )
    if status:
        qs = qs.filter(status=status)
    if statuses:
        qs = qs.filter(status__in=statuses)
    if key_supervised:
        qs = qs.filter(is_key_supervised=True)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(number=q) | Q(lead_deputy__name=q))
    return qs


# What a row of the proposal list (page and API) shows; ``proposal_rows`` loads only these.
LIST_ROW_FIELDS = (
    "id",
    "number",
    "title",
    "kind",
    "category",
    "session",
    "status",
    "submitted_at",
    "reply_class",
    "promised_on",
    "rating",
    "rehandle_count",
    "is_key_supervised",
    "congress_id",
    "congress__name",
    "lead_deputy_id",
    "lead_deputy__name",
)
ROW_ASSIGNMENT_FIELDS = (
    "id",
    "proposal_id",
    "unit_id",
    "unit__name",
    "role",
    "assigned_on",
    "deadline",
    "extension_reason",
    "completed_at",
)


def proposal_rows(*, user, status=None, q=None):
    """:func:`proposal_list` for the list page and the list API, as rows: dicts of ``LIST_ROW_FIELDS``.

    A province's list page built 50 proposals, their deputies and congresses, and about 60 assignments with their
    units as model instances: some 270 objects a page, a third of its time. A row is a plain dict instead;
    :func:`with_units` adds the handling units once the page is cut.
    """
    return as_rows(proposal_list(user=user, status=status, q=q))


def as_rows(queryset):
    """A proposal queryset (already scoped) as list rows: dicts of ``LIST_ROW_FIELDS``, without its joins."""
    return queryset.select_related(None).prefetch_related(None).values(*LIST_ROW_FIELDS)


def with_units(rows):
    """The rows of one page, each with ``units``: its assignments as dicts of ``ROW_ASSIGNMENT_FIELDS`` in the
    order :func:`proposal_list` shows them, read in one statement for the whole page."""
    rows = list(rows)
    by_id = {}
    for row in rows:
        row["units"] = []
        by_id[row["id"]] = row
    if by_id:
        assignments = Assignment.objects.filter(proposal_id__in=by_id).order_by(*UNIT_ORDER)
        for assignment in assignments.values(*ROW_ASSIGNMENT_FIELDS):
            by_id[assignment["proposal_id"]]["units"].append(assignment)
    return rows


def proposal_detail(*, user, pk=None):
    """Like :func:`proposal_list`, with co-signers, attachments and replies prefetched."""
    qs = proposal_list(user=user).prefetch_related(
        Prefetch("cosigners", queryset=CoSigner.objects.select_related("deputy")),
        Prefetch("attachments", queryset=Attachment.objects.filter(is_withdrawn=False)),
        Prefetch("replies", queryset=Reply.objects.select_related("unit").order_by("round")),
    )
    return qs if pk is None else qs.filter(pk=pk)


def deputy_drafts(*, user):
    """The drafts waiting in the caller's portal (also those a station drafted for them)."""
    return proposal_list(user=user).filter(lead_deputy__user=user, status__in=(S.DRAFT, S.REVISION))


def cosign_requests(*, user):
    """Proposals where the caller is asked to co-sign and has not confirmed yet."""
    return proposal_list(user=user).filter(
        pk__in=CoSigner.objects.filter(deputy__user=user, confirmed_at__isnull=True).values("proposal_id"),
        status__in=(S.DRAFT, S.REVISION, S.SUBMITTED),
    )


def proposal_timeline(*, proposal):
    """Every step of a proposal, oldest first: status changes (with notes) and the units' contacts."""
    events = [
        {
            "at": change.created_at,
            "kind": "status",
            "title": change.get_to_status_display() if change.from_status != change.to_status else _("办理过程记录"),
            "status": change.to_status,
            "actor": str(change.actor) if change.actor else "",
            "note": change.note,
        }
        for change in ProposalStatusChange.objects.filter(proposal=proposal).select_related("actor")
    ]
    for contact in Contact.objects.filter(assignment__proposal=proposal).select_related("assignment__unit"):
        events.append(
            {
                "at": contact.created_at,
                "kind": "contact",
                "title": _("%(stage)s联系（%(way)s）")
                % {"stage": contact.get_stage_display(), "way": contact.get_way_display()},
                "status": "contact",
                "actor": contact.assignment.unit.name,
                "note": f"{contact.contacted_on} {contact.summary}",
            }
        )
    return sorted(events, key=lambda e: e["at"])


# ---------------------------------------------------------------- duplicate hints


@lru_cache(maxsize=4096)
def _tokens(text):
    import jieba

    jieba.setLogLevel(60)
    return frozenset(w for w in jieba.lcut(text) if len(w.strip()) > 1)


def _similarity(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_proposals(*, user, proposal, limit=5, threshold=0.2, window=500):
    """Earlier proposals of the same region whose title and content share words with this one (jieba words,
    Jaccard over word sets; titles count twice). Returns ``[(proposal, score)]`` best first."""
    target = _tokens(proposal.title) | _tokens(proposal.title + proposal.content)
    candidates = (
        Proposal.objects.visible_to(user)
        .filter(region=proposal.region)
        .exclude(pk=proposal.pk)
        .exclude(status__in=(S.DRAFT, S.WITHDRAWN))
        .select_related("lead_deputy")
        .order_by("-submitted_at")[:window]
    )
    scored = []
    for other in candidates:
        title_score = _similarity(_tokens(proposal.title), _tokens(other.title))
        body_score = _similarity(target, _tokens(other.title) | _tokens(other.title + other.content))
        score = round((2 * title_score + body_score) / 3, 3)
        if score >= threshold:
            scored.append((other, score))
    return sorted(scored, key=lambda pair: -pair[1])[:limit]


def duplicate_hints(*, user, proposals, limit=3, threshold=0.2, window=500):
    """Likely duplicates for each proposal of a review page, from one query: ``{pk: [(other, score)]}``."""
    if not proposals:
        return {}
    candidates = list(
        Proposal.objects.visible_to(user)
        .exclude(status__in=(S.DRAFT, S.WITHDRAWN))
        .filter(region__in={p.region_id for p in proposals})
        .only("pk", "number", "title", "content", "region_id", "status")
        .order_by("-submitted_at")[:window]
    )
    hints = {}
    for proposal in proposals:
        title = _tokens(proposal.title)
        body = title | _tokens(proposal.title + proposal.content)
        scored = []
        for other in candidates:
            if other.pk == proposal.pk or other.region_id != proposal.region_id:
                continue
            other_title = _tokens(other.title)
            score = (
                2 * _similarity(title, other_title)
                + _similarity(body, other_title | _tokens(other.title + other.content))
            ) / 3
            if score >= threshold:
                scored.append((other, round(score, 3)))
        hints[proposal.pk] = sorted(scored, key=lambda pair: -pair[1])[:limit]
    return hints


# ---------------------------------------------------------------- unit workbench


def _contact_count(**filters):
    rows = (
        Contact.objects.filter(assignment=OuterRef("pk"), **filters)
        .order_by()
        .values("assignment")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def unit_assignments(*, user, only_open=False):
    """The caller's unit's assignments, soonest deadline first, with ``days_left`` and ``contact_count``."""
    qs = (
        Assignment.objects.visible_to(user)
        .select_related("proposal", "proposal__lead_deputy", "unit")
        # Correlated counts, evaluated for the page's rows only (a JOIN + GROUP BY would group all of a busy
        # unit's thousands of assignments with their contacts before the page is cut).
        .annotate(
            before_contacts=_contact_count(stage=Contact.Stage.BEFORE),
            contact_count=_contact_count(),
        )
        .order_by("deadline", "id")
    )
    if only_open:
        qs = qs.open()
    return qs


WORKBENCH_ROW_FIELDS = (
    "id",
    "deadline",
    "completed_at",
    "role",
    "unit_id",
    "unit__name",
    "proposal_id",
    "proposal__number",
    "proposal__title",
    "proposal__status",
    "proposal__lead_deputy_id",
    "proposal__lead_deputy__name",
)


def awaiting_after_contact(*, user):
    """The caller's unit's lead assignments replied and not yet closed without a 办后 contact dated on or after the
    latest reply (答复后待办后联系)."""
    from proposals.models import AFTER_CONTACT_STATUSES, Reply

    latest_reply_on = Subquery(
        Reply.objects.filter(proposal=OuterRef("proposal")).order_by("-round").values("replied_on")[:1]
    )
    after_done = Contact.objects.filter(
        assignment=OuterRef("pk"), stage=Contact.Stage.AFTER, contacted_on__gte=OuterRef("latest_reply_on")
    )
    return (
        Assignment.objects.visible_to(user)
        .filter(role=Assignment.Role.LEAD, proposal__status__in=AFTER_CONTACT_STATUSES)
        .annotate(latest_reply_on=latest_reply_on)
        .filter(~Exists(after_done))
    )


def assignment_rows(queryset):
    """Assignments annotated like :func:`unit_assignments` as the rows of ``proposals/assignments.html``: dicts of
    ``WORKBENCH_ROW_FIELDS`` with ``before_contacts`` and ``contact_count`` (no model instances, no proposal
    texts, no deputies' encrypted mobiles)."""
    return queryset.select_related(None).values(*WORKBENCH_ROW_FIELDS, "before_contacts", "contact_count")


def deadline_flag(assignment, today=None):
    """'overdue', 'due_soon' or '' for an assignment still owing work (a model instance or a row dict)."""
    today = today or timezone.localdate()
    if isinstance(assignment, dict):
        deadline, completed_at = assignment["deadline"], assignment["completed_at"]
        status = assignment["proposal__status"]
    else:
        deadline, completed_at, status = assignment.deadline, assignment.completed_at, assignment.proposal.status
    if completed_at is not None or status not in HANDLING_STATUSES:
        return ""
    if deadline < today:
        return "overdue"
    if deadline <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return ""


# ---------------------------------------------------------------- reminder queues (used by the reminders app)


def open_assignments_with_deadline(*, user=None):
    """Assignments (lead and co-units) still owing a reply or opinion in this round, with ``deadline``,
    ``unit`` and ``role``; soonest first. ``user`` None means every region (for the reminder worker)."""
    qs = Assignment.objects.all() if user is None else Assignment.objects.visible_to(user)
    return qs.open().select_related("proposal", "unit", "proposal__lead_deputy").order_by("deadline", "id")


def replies_awaiting_rating(*, user=None):
    """Latest replies the deputy has not rated yet (proposal status 已答复待评价), with ``replied_on`` and the
    proposal's lead deputy; oldest first."""
    proposals = Proposal.objects.filter(status=S.REPLIED)
    if user is not None:
        proposals = proposals.visible_to(user)
    return (
        Reply.objects.filter(proposal__in=proposals, rating="")
        .select_related("proposal", "proposal__lead_deputy", "unit")
        .order_by("replied_on", "id")
    )


def b_class_promises(*, user=None):
    """B-class proposals on the tracking ledger (跟踪督办台账) with ``promised_on``; earliest promise first."""
    qs = Proposal.objects.all() if user is None else Proposal.objects.visible_to(user)
    return (
        qs.filter(status=S.TRACKING, reply_class=Proposal.ReplyClass.B)
        .select_related("lead_deputy", "region")
        .prefetch_related(_assignments_prefetch())
        .order_by("promised_on", "id")
    )


def overdue_assignments(*, user):
    """Open assignments past their deadline, in the caller's scope, annotated like :func:`unit_assignments`."""
    return unit_assignments(user=user, only_open=True).filter(deadline__lt=timezone.localdate())


def staff_ledger(*, user, filters=None):
    """Rows of the .xlsx 台账: every proposal past drafting, with units and the latest reply, narrowed by the list
    page's filters (``status``, ``q``) when the export starts from a filtered list."""
    filters = filters or {}
    status = filters.get("status") or None
    status = status if status in S.values else None
    q = (filters.get("q") or "").strip()[:100] or None
    return proposal_list(user=user, status=status, q=q).exclude(status__in=(S.DRAFT,))


# ---------------------------------------------------------------- figures


RECESS_SESSION = "-"  # the session filter's value for proposals made between sessions (闭会期间, stored empty)


def _figure_base(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    qs = Proposal.objects.visible_to(user).filter(submitted_at__isnull=False)
    if region is not None:
        qs = qs.filter(in_region("region", region))
    if congress is not None:
        qs = qs.filter(congress=congress)
    if session is not None:
        qs = qs.filter(session="" if session == RECESS_SESSION else session)
    if unit is not None:
        qs = qs.filter(assignments__unit=unit, assignments__role=Assignment.Role.LEAD)
    if date_from is not None:
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to is not None:
        qs = qs.filter(submitted_at__date__lte=date_to)
    return qs


def _share(part, whole):
    """A share rounded to 0.1 %, or None when there is nothing to divide by."""
    return None if not whole else round(100 * part / whole, 1)


def figure_review_counts(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """Submitted, accepted (立案, whatever happened after), merged and returned (退) counts."""
    qs = _figure_base(user, region, congress, session, unit, date_from, date_to)
    return qs.aggregate(
        submitted=Count("pk"),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        merged=Count("pk", filter=Q(status=S.MERGED)),
        returned=Count("pk", filter=Q(status=S.RETURNED)),
    )


def figure_reply_classes(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """Current reply class of each replied proposal (a met B promise counts as A); ``ab_share`` in % or None."""
    qs = _figure_base(user, region, congress, session, unit, date_from, date_to).exclude(reply_class="")
    counts = qs.aggregate(
        a=Count("pk", filter=Q(reply_class="A")),
        b=Count("pk", filter=Q(reply_class="B")),
        c=Count("pk", filter=Q(reply_class="C")),
    )
    total = counts["a"] + counts["b"] + counts["c"]
    return {**counts, "total": total, "ab_share": _share(counts["a"] + counts["b"], total)}


def figure_satisfaction(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """The deputy's latest rating per proposal; ``rate`` = (满意 + 基本满意) / rated in %, or None."""
    qs = _figure_base(user, region, congress, session, unit, date_from, date_to).exclude(rating="")
    counts = qs.aggregate(
        satisfied=Count("pk", filter=Q(rating=Proposal.Rating.SATISFIED)),
        basic=Count("pk", filter=Q(rating=Proposal.Rating.BASIC)),
        unsatisfied=Count("pk", filter=Q(rating=Proposal.Rating.UNSATISFIED)),
    )
    rated = counts["satisfied"] + counts["basic"] + counts["unsatisfied"]
    return {**counts, "rated": rated, "rate": _share(counts["satisfied"] + counts["basic"], rated)}


def figure_on_time(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """First-round replies on or before the deadline, over first-round replies plus lead assignments already
    overdue without one; ``rate`` in % or None."""
    base = _figure_base(user, region, congress, session, unit, date_from, date_to)
    first = Reply.objects.filter(proposal__in=base, round=1).aggregate(
        replied=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))
    )
    late_unreplied = (
        Assignment.objects.filter(proposal__in=base, role=Assignment.Role.LEAD, deadline__lt=timezone.localdate())
        .exclude(proposal__replies__round=1)
        .count()
    )
    due = first["replied"] + late_unreplied
    return {"on_time": first["on_time"], "due": due, "rate": _share(first["on_time"], due)}


def figure_overdue_per_unit(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """Units with open assignments past their deadline: a queryset of handling units annotated ``overdue``."""
    base = _figure_base(user, region, congress, session, None, date_from, date_to)
    overdue = Q(
        proposal_assignments__proposal__in=base,
        proposal_assignments__proposal__status__in=HANDLING_STATUSES,
        proposal_assignments__completed_at__isnull=True,
        proposal_assignments__deadline__lt=timezone.localdate(),
    )
    qs = Organization.objects.filter(kind=Organization.Kind.HANDLING_UNIT)
    if unit is not None:
        qs = qs.filter(pk=unit.pk)
    return (
        qs.annotate(overdue=Count("proposal_assignments", filter=overdue))
        .filter(overdue__gt=0)
        .order_by("-overdue", "name")
    )


def figure_rehandled(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """Proposals sent back for re-handling (二次交办) at least once, and the number of re-handlings."""
    qs = _figure_base(user, region, congress, session, unit, date_from, date_to).filter(rehandle_count__gt=0)
    from django.db.models import Sum

    result = qs.aggregate(proposals=Count("pk"), rounds=Sum("rehandle_count"))
    return {"proposals": result["proposals"], "rounds": result["rounds"] or 0}


def figure_key_supervision(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """Key-supervised proposals: the count and how many are in each status (``by_status``: label → count)."""
    qs = _figure_base(user, region, congress, session, unit, date_from, date_to).filter(is_key_supervised=True)
    by_status = Counter(dict(qs.values_list("status").annotate(n=Count("pk")).order_by()))
    return {
        "count": sum(by_status.values()),
        "closed": by_status.get(S.CLOSED, 0),
        "by_status": {str(S(status).label): n for status, n in sorted(by_status.items())},
    }


def figure_joint_supervision(user, region=None, congress=None, session=None, unit=None, date_from=None, date_to=None):
    """Proposals under joint supervision (联合督办): how many, how many are closed, how many in each status
    (``by_status``: label → count), and the supervisions (``items``) and site visits (``visits``) they belong to.
    One query: the proposal–supervision links in scope, each with its supervision's visit count."""
    base = _figure_base(user, region, congress, session, unit, date_from, date_to)
    visit_count = (
        SiteVisit.objects.filter(supervision=OuterRef("jointsupervision_id"))
        .order_by()
        .values("supervision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    links = (
        JointSupervision.proposals.through.objects.filter(proposal__in=base)
        .annotate(visits=Subquery(visit_count))
        .values_list("proposal_id", "proposal__status", "jointsupervision_id", "visits")
    )
    statuses, visits = {}, {}
    for proposal_id, status, supervision_id, visit_total in links:
        statuses[proposal_id] = status
        visits[supervision_id] = visit_total or 0
    by_status = Counter(statuses.values())
    return {
        "count": len(statuses),
        "closed": by_status.get(S.CLOSED, 0),
        "by_status": {str(S(status).label): n for status, n in sorted(by_status.items())},
        "items": len(visits),
        "visits": sum(visits.values()),
    }


def figure_sessions(user, region=None, congress=None):
    """The distinct sessions (会议) of submitted proposals, for the session filter (闭会期间, stored empty, left
    out)."""
    qs = _figure_base(user, region, congress).exclude(session="")
    return list(qs.order_by("session").values_list("session", flat=True).distinct())


def figures(user, **filters):
    return {
        "review": figure_review_counts(user, **filters),
        "classes": figure_reply_classes(user, **filters),
        "satisfaction": figure_satisfaction(user, **filters),
        "on_time": figure_on_time(user, **filters),
        "overdue_units": list(figure_overdue_per_unit(user, **filters).values("id", "name", "overdue")),
        "rehandled": figure_rehandled(user, **filters),
        "key_supervision": figure_key_supervision(user, **filters),
        "joint_supervision": figure_joint_supervision(user, **filters),
    }


# ---------------------------------------------------------------- 联合督办 joint supervision


def joint_supervision_list(*, user, status=None, committee=None):
    """Joint supervisions the caller may see, newest first, with ``proposal_count`` and ``visit_count``."""
    qs = (
        JointSupervision.objects.visible_to(user)
        .select_related("committee")
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            visit_count=Count("visits", distinct=True),
            last_visit_on=Max("visits__visited_on"),
        )
        .order_by("-created_at", "-id")
    )
    if status:
        qs = qs.filter(status=status)
    if committee is not None:
        qs = qs.filter(committee=committee)
    return qs


def joint_supervision_detail(*, user, pk=None):
    """One joint supervision (or all visible) with its proposals — each with lead deputy, units and replies —
    and its visits, everything prefetched: the staff page, the committee's page, the API and the export
    read the same rows."""
    proposals = (
        Proposal.objects.select_related("lead_deputy", "region")
        .prefetch_related(
            _assignments_prefetch(),
            Prefetch("replies", queryset=Reply.objects.select_related("unit").order_by("round"), to_attr="reply_list"),
        )
        .order_by("number", "id")
    )
    qs = (
        JointSupervision.objects.visible_to(user)
        .select_related("committee", "created_by")
        .prefetch_related(
            Prefetch("proposals", queryset=proposals, to_attr="proposal_list"),
            Prefetch("visits", queryset=SiteVisit.objects.select_related("recorded_by"), to_attr="visit_list"),
        )
        .order_by("-created_at", "-id")
    )
    return qs if pk is None else qs.filter(pk=pk)


def joint_supervision_candidates(*, user, q=None, limit=200, supervision=None):
    """Proposals staff may put under joint supervision: accepted and not yet satisfied or closed. For an existing
    ``supervision``: those of its committee's region that it does not follow yet."""
    qs = (
        Proposal.objects.visible_to(user)
        .filter(status__in=JOINT_SUPERVISION_STATUSES)
        .select_related("lead_deputy")
        .order_by("-submitted_at", "-id")
    )
    if supervision is not None:
        qs = qs.filter(in_region("region", supervision.committee.region)).exclude(joint_supervisions=supervision)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(number=q))
    return qs[:limit]


def chosen_proposals(*, user, ids):
    """The proposals a form or API call names by id, each visible to ``user``, in one query; any other id is the
    audited 404 of a record that is not theirs."""
    ids = set(ids)
    proposals = list(Proposal.objects.visible_to(user).filter(pk__in=ids).select_related("region"))
    missing = ids - {p.pk for p in proposals}
    if missing:
        get_visible_or_404(Proposal.objects, user, pk=min(missing))
    return proposals


def special_committees(*, user):
    """Special committees in the caller's scope, for the creation form."""
    return (
        Organization.objects.visible_to(user)
        .filter(kind=Organization.Kind.SPECIAL_COMMITTEE, is_active=True)
        .select_related("region")
    )


def is_committee_user(user):
    """A login of a special committee (role 承办单位用户 attached to a committee organisation)."""
    return (
        user.is_authenticated
        and user.role == User.Role.UNIT
        and user.organization_id is not None
        and user.organization.kind == Organization.Kind.SPECIAL_COMMITTEE
    )


# Statuses a proposal shows on the public deputy page: accepted for handling or further (never a draft, one
# waiting for review, sent back, refused or withdrawn).
PUBLIC_STATUSES = (
    Proposal.Status.ACCEPTED,
    Proposal.Status.MERGED,
    Proposal.Status.TRANSFERRED,
    Proposal.Status.ASSIGNED,
    Proposal.Status.REPLIED,
    Proposal.Status.REHANDLING,
    Proposal.Status.TRACKING,
    Proposal.Status.SATISFIED,
    Proposal.Status.STAFF_CLOSED,
    Proposal.Status.CLOSED,
)
PUBLIC_LED_PROPOSALS = 100


def public_led_proposals(*, deputy_id):
    """The proposals a deputy led in their current congresses, with status and result (答复类别, 满意度): only the
    title and outcome, never the content, contacts or units' staff. One query; the latest 100."""
    return list(
        Proposal.objects.filter(lead_deputy_id=deputy_id, congress__is_current=True, status__in=PUBLIC_STATUSES)
        .order_by("-submitted_at", "-id")
        .values("id", "number", "title", "kind", "session", "status", "reply_class", "rating", "submitted_at")[
            :PUBLIC_LED_PROPOSALS
        ]
    )


def labelled_public_proposals(rows):
    """``rows`` of :func:`public_led_proposals` with the kind and result words in the active language (the rows
    may come from a cache shared by every language)."""
    kinds, classes, ratings = (
        dict(Proposal.Kind.choices),
        dict(Proposal.ReplyClass.choices),
        dict(Proposal.Rating.choices),
    )
    return [
        {
            **row,
            "kind_label": str(kinds.get(row["kind"], row["kind"])),
            "reply_class_label": str(classes[row["reply_class"]]) if row["reply_class"] in classes else "",
            "rating_label": str(ratings[row["rating"]]) if row["rating"] in ratings else "",
        }
        for row in rows
    ]
