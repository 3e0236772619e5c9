"""Writes of the stations app: stations and assignments, reception days, citizens' opinions and their triage."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import DutyKind
from liaison import crypto, uploads, workflow
from liaison.access import region_contains, staff_covers
from liaison.audit import audit
from liaison.errors import ApplicationError, PermissionDenied
from liaison.models import User
from liaison.privacy import is_valid_mobile
from stations import signals, triage
from stations.models import PHOTO_MAX_BYTES, Opinion, OpinionPhoto, OpinionStatusChange, ReceptionDay, StationAssignment

# The unambiguous alphabet of tracking codes: no 0/O, 1/I/L. 31 symbols ** 12 ≈ 2**59.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12

CONTENT_MAX_LENGTH = 2000
CONTENT_MIN_LENGTH = 5
NAME_MAX_LENGTH = 32
PHOTO_MAX_COUNT = 3
DUPLICATE_WINDOW_SECONDS = 60

# The opinion state machine lives beside its statuses (Opinion.TRANSITIONS); kept here under its old name.
TRANSITIONS = Opinion.TRANSITIONS


def _setting(name, default):
    return getattr(settings, name, default)


def rate_limits():
    """(max submissions, window seconds) per IP address and per mobile number."""
    return {
        "ip": _setting("OPINION_RATE_LIMIT_IP", (10, 3600)),
        "mobile": _setting("OPINION_RATE_LIMIT_MOBILE", (5, 3600)),
        "lookup": _setting("OPINION_LOOKUP_RATE_LIMIT", (20, 600)),
    }


def _hit(key, limit):
    """Count one hit against ``key``; True when the count is still within ``limit`` = (max, seconds)."""
    return _hits([(key, limit)])[0]


def _hits(counters):
    """Count one hit against each ``(key, (max, seconds))``; for each, True when its count is still within its max.

    On Redis the counters are created and counted in one round trip (``SET NX EX`` and ``INCR`` per key, in a
    MULTI/EXEC block, so a key cannot expire between the two and lose its time-out); elsewhere with add and incr.
    """
    backend = caches["default"]  # django.core.cache.cache is a proxy of it
    if isinstance(backend, RedisCache):
        return _redis_hits(backend, counters)
    results = []
    for key, (maximum, window) in counters:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
        results.append(count <= maximum)
    return results


def _redis_hits(backend, counters):
    from liaison.cache import ERRORS, ResilientRedisCache, _down

    keys = [backend.make_and_validate_key(key) for key, _limit in counters]
    try:
        # Django's cache API has no pipeline: its client (the one its add and incr use, the primary for writes).
        pipe = backend._cache.get_client(keys[0], write=True).pipeline(transaction=True)
        for key, (_key, (_maximum, window)) in zip(keys, counters, strict=True):
            pipe.set(key, 0, ex=int(window), nx=True)
            pipe.incr(key)
        counts = pipe.execute()[1::2]
    except ERRORS as exc:
        if not isinstance(backend, ResilientRedisCache):
            raise
        _down("incr", counters[0][0], exc)
        return [True] * len(counters)
    return [count <= maximum for count, (_key, (maximum, _window)) in zip(counts, counters, strict=True)]


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def normalize_tracking_code(code):
    return "".join((code or "").split()).replace("-", "").upper()


def _content_hash(*, station, deputy, mobile, content):
    # The mobile enters as its keyed hash: a plain SHA-256 of a known text plus an 11-digit number could be
    # reversed by trying every number.
    mobile_key = crypto.lookup_hash(mobile)
    raw = f"{station.pk if station else ''}|{deputy.pk if deputy else ''}|{mobile_key}|{' '.join(content.split())}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _ip_key(ip):
    return hashlib.sha256(f"{settings.SECRET_KEY}|{ip}".encode()).hexdigest()[:32]


# ---------------------------------------------------------------- stations


def _check_can_manage_station(actor, station):
    if actor is None or actor.is_superuser:
        return
    if staff_covers(actor, station.region):
        return
    if actor.role == User.Role.STATION_MANAGER and station.managers.filter(pk=actor.pk).exists():
        return
    raise PermissionDenied(_("您无权管理该联络站。"))


@transaction.atomic
def station_assign_deputy(*, actor, station, deputy, since, until=None):
    _check_can_manage_station(actor, station)
    if StationAssignment.objects.filter(station=station, deputy=deputy, until__isnull=True).exists():
        raise ApplicationError(_("该代表已编入本站。"), code="already_assigned")
    assignment = StationAssignment(station=station, deputy=deputy, since=since, until=until)
    assignment.full_clean()
    assignment.save()
    audit(actor, "station.assign_deputy", assignment)
    return assignment


@transaction.atomic
def station_unassign_deputy(*, actor, assignment, until):
    assignment = StationAssignment.objects.select_for_update().select_related("station__region").get(pk=assignment.pk)
    _check_can_manage_station(actor, assignment.station)
    assignment.until = until
    assignment.full_clean()
    assignment.save()
    audit(actor, "station.unassign_deputy", assignment)
    return assignment


# ---------------------------------------------------------------- reception days


@transaction.atomic
def reception_day_schedule(
    *, actor, station, date, deputies_on_duty=(), kind=ReceptionDay.Kind.REGULAR, topic="", starts_at=None, ends_at=None
):
    _check_can_manage_station(actor, station)
    day = ReceptionDay(
        station=station, date=date, kind=kind, topic=topic, starts_at=starts_at, ends_at=ends_at, scheduled_by=actor
    )
    day.full_clean()
    day.save()
    day.deputies_on_duty.set(deputies_on_duty)
    audit(actor, "reception_day.schedule", day, data={"date": str(date)})
    return day


@transaction.atomic
def reception_day_log(*, actor, reception_day, deputies_present, citizens_received, opinions_taken, note=""):
    """The log after the day: who came, how many people were received, how many opinions were taken.

    Each deputy present gets one 进站履职 duty record per reception day, however often the log is corrected.
    """
    from deputies.services import duty_record_add_from_source

    day = workflow.lock(ReceptionDay.objects.select_related("station__region"), reception_day.pk)
    _check_can_manage_station(actor, day.station)
    if day.status == ReceptionDay.Status.CANCELLED:
        raise ApplicationError(_("接待日已取消，不能填写记录。"), code="reception_cancelled")
    if day.date > timezone.localdate():
        raise ApplicationError(_("接待日尚未到来，不能填写记录。"), code="reception_in_future")
    if citizens_received < 0 or opinions_taken < 0:
        raise ApplicationError(_("人次和条数不能为负数。"), code="negative_count")
    workflow.transition(
        day,
        ReceptionDay.Status.HELD,
        actor=actor,
        action=False,  # audited below with the counts
        citizens_received=citizens_received,
        opinions_taken=opinions_taken,
        log_note=note,
        logged_by=actor,
        logged_at=timezone.now(),
    )
    day.deputies_present.set(deputies_present)
    for deputy in deputies_present:
        duty_record_add_from_source(
            deputy=deputy,
            kind=DutyKind.STATION_RECEPTION,
            occurred_on=day.date,
            source_key=f"reception:{day.pk}",
            description=_("%(station)s 接待日进站履职") % {"station": day.station.name},
            place=day.station.address or day.station.name,
        )
    audit(
        actor,
        "reception_day.log",
        day,
        data={"present": len(deputies_present), "citizens": citizens_received, "opinions": opinions_taken},
    )
    return day


@transaction.atomic
def reception_day_cancel(*, actor, reception_day):
    day = workflow.lock(ReceptionDay.objects.select_related("station__region"), reception_day.pk)
    _check_can_manage_station(actor, day.station)
    workflow.transition(
        day, ReceptionDay.Status.CANCELLED, actor=actor, validate=False, action="reception_day.cancel", audit_data={}
    )
    return day


# ---------------------------------------------------------------- opinions


def opinion_region(station, deputy):
    """The region an opinion (or a 12345 work order) for ``station`` or ``deputy`` belongs to: the station's, else
    the region of the deputy's seat closest to the ground. Raises ApplicationError for a deputy without a seat."""
    if station is not None:
        return station.region
    # The seat closest to the ground (highest level number): staff of that region and every region above see it.
    membership = (
        deputy.memberships.filter(status="in_office")
        .select_related("congress__region")
        .order_by("-congress__level", "id")
        .first()
    )
    if membership is None:
        raise ApplicationError(_("该代表暂无代表资格，无法接收意见。"), code="deputy_without_seat")
    return membership.congress.region


def opinion_check_public_fields(*, content, mobile, citizen_name, photos):
    """The field rules of a citizen's opinion, alone: raises one ApplicationError naming every wrong field."""
    _validate_opinion(
        content=content, mobile=mobile, citizen_name=citizen_name, photos=list(photos), mobile_required=True
    )


def _validate_opinion(*, content, mobile, citizen_name, photos, mobile_required):
    errors = {}
    content = (content or "").strip()
    if len(content) < CONTENT_MIN_LENGTH:
        errors["content"] = [_("请填写意见内容，至少 %(n)d 个字。") % {"n": CONTENT_MIN_LENGTH}]
    elif len(content) > CONTENT_MAX_LENGTH:
        errors["content"] = [_("意见内容不能超过 %(n)d 个字。") % {"n": CONTENT_MAX_LENGTH}]
    if (mobile_required or mobile) and not is_valid_mobile(mobile):
        errors["mobile"] = [_("请填写正确的 11 位手机号码。")]
    if len(citizen_name or "") > NAME_MAX_LENGTH:
        errors["citizen_name"] = [_("姓名不能超过 %(n)d 个字。") % {"n": NAME_MAX_LENGTH}]
    photo_errors = []
    if len(photos) > PHOTO_MAX_COUNT:
        photo_errors.append(_("最多上传 %(n)d 张照片。") % {"n": PHOTO_MAX_COUNT})
    for photo in photos:
        if photo.size > PHOTO_MAX_BYTES:
            photo_errors.append(_("“%(name)s”超过 5MB。") % {"name": photo.name})
            continue
        try:  # content, not name or Content-Type, decides (liaison.uploads)
            photo.detected_type = uploads.check_upload(
                photo, kinds=uploads.PHOTOS, max_bytes=PHOTO_MAX_BYTES, field="photos", extension_required=False
            )
        except ApplicationError as refused:
            photo_errors.append(refused.message)
    if photo_errors:
        errors["photos"] = photo_errors
    if errors:
        raise ApplicationError(_("提交的内容有误，请修改后再提交。"), code="invalid", extra={"fields": errors})
    return content


# What full_clean leaves to the caller and the database: the related rows are instances the caller has just read
# (checking each again cost a query apiece), the tracking code's uniqueness is the column's unique index (a clash
# of two random 12-symbol codes is ~10^-12 at a province's million opinions), and the one check constraint, station
# or deputy, is checked below in Python. Each held by PostgreSQL all the same.
_OPINION_CLEAN_EXCLUDE = ["station", "deputy", "region", "category", "reception_day", "entered_by", "triaged_by"]


TRACKING_CODE_ATTEMPTS = 5


def _is_tracking_code_clash(error):
    """Whether an IntegrityError is the tracking code's unique index (PostgreSQL names the constraint; SQLite,
    the embedded development database, names the column in its message). Any other violation is not retried."""
    constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    return "tracking_code" in (constraint or str(error))


def _insert_with_fresh_code(opinion):
    """Insert ``opinion``; on a tracking-code clash draw a new code and try again (each attempt in a savepoint,
    so the caller's transaction survives the failed insert)."""
    for attempt in range(TRACKING_CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                opinion.save(force_insert=True)
            return
        except IntegrityError as error:
            if not _is_tracking_code_clash(error) or attempt == TRACKING_CODE_ATTEMPTS - 1:
                raise
            opinion.pk = None
            opinion.tracking_code = new_tracking_code()


def _create_opinion(
    *, station, deputy, category, content, mobile, citizen_name, photos, source, content_hash=None, **extra
):
    if station is None and deputy is None:
        raise ApplicationError(_("请从联络站或代表的二维码进入。"), code="no_target")
    opinion = Opinion(
        tracking_code=new_tracking_code(),
        station=station,
        deputy=deputy,
        region=opinion_region(station, deputy),
        category=category,
        content=content,
        mobile=mobile,
        citizen_name=(citizen_name or "").strip(),
        source=source,
        content_hash=content_hash or _content_hash(station=station, deputy=deputy, mobile=mobile, content=content),
        **extra,
    )
    opinion.full_clean(exclude=_OPINION_CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False)
    _insert_with_fresh_code(opinion)
    for photo in photos:
        OpinionPhoto.objects.create(opinion=opinion, image=photo, content_type=photo.detected_type, size=photo.size)
    return opinion


def opinion_create_external(*, station, deputy, category, content, mobile, citizen_name, source, external_id=""):
    """An opinion that another system hands over (the 12345 hotline): no rate limits nor honeypot, as the caller
    authenticated the system and checked the fields; an invalid mobile is dropped, a long name cut."""
    return _create_opinion(
        station=station,
        deputy=deputy,
        category=category,
        content=content,
        mobile=mobile if is_valid_mobile(mobile or "") else "",
        citizen_name=(citizen_name or "")[:NAME_MAX_LENGTH],
        photos=(),
        source=source,
        external_id=external_id,
    )


@transaction.atomic
def opinion_submit_public(
    *, station=None, deputy=None, category, content, mobile, citizen_name="", photos=(), ip=None, honeypot=""
):
    """A citizen's opinion from a QR code. Returns ``(opinion, created)``.

    Abuse controls that do not block real people: a honeypot field, length and type limits, rate limits per IP
    address and per mobile number (Django's cache), and the same text sent twice within a minute stored once.
    """
    if honeypot:
        raise ApplicationError(_("提交失败，请稍后再试。"), code="rejected")
    if station is None and deputy is None:
        raise ApplicationError(_("请从联络站或代表的二维码进入。"), code="no_target")
    if category is None or not category.is_active:
        raise ApplicationError(
            _("提交的内容有误，请修改后再提交。"),
            code="invalid",
            extra={"fields": {"category": [_("请选择意见类别。")]}},
        )
    photos = list(photos)
    content = _validate_opinion(
        content=content, mobile=mobile, citizen_name=citizen_name, photos=photos, mobile_required=True
    )
    content_hash = _content_hash(station=station, deputy=deputy, mobile=mobile, content=content)
    # Serialise submissions of the same text so that a double tap cannot store it twice.
    lock_key = f"opinion-submit:{content_hash}"
    duplicate = (
        Opinion.objects.filter(
            content_hash=content_hash,
            created_at__gte=timezone.now() - timezone.timedelta(seconds=DUPLICATE_WINDOW_SECONDS),
        )
        .order_by("created_at")
        .first()
    )
    if duplicate is not None:
        return duplicate, False
    if not cache.add(lock_key, 1, timeout=DUPLICATE_WINDOW_SECONDS):
        # The same text is being stored by a request that has not committed yet.
        raise ApplicationError(_("您的意见正在提交，请勿重复提交。"), code="duplicate_in_progress", status_code=409)
    limits = rate_limits()
    counters = [(f"opinion-rate:mobile:{crypto.lookup_hash(mobile)}", limits["mobile"])]
    if ip:
        counters.append((f"opinion-rate:ip:{_ip_key(ip)}", limits["ip"]))
    if not all(_hits(counters)):
        cache.delete(lock_key)
        raise ApplicationError(
            _("提交过于频繁，请一小时后再试。如有急事请拨打联络站电话。"), code="rate_limited", status_code=429
        )
    try:
        opinion = _create_opinion(
            station=station,
            deputy=deputy,
            category=category,
            content=content,
            mobile=mobile,
            citizen_name=citizen_name,
            photos=photos,
            source=Opinion.Source.QR,
            content_hash=content_hash,
        )
    except Exception:
        cache.delete(lock_key)
        raise
    audit(None, "opinion.submit", opinion, data={"source": opinion.source})
    return opinion, True


@transaction.atomic
def opinion_record(
    *,
    actor,
    station,
    category,
    content,
    source=Opinion.Source.PAPER,
    mobile="",
    citizen_name="",
    deputy=None,
    reception_day=None,
    photos=(),
):
    """An opinion entered by a station manager or staff from a reception day or a paper register (登记本)."""
    _check_can_manage_station(actor, station)
    if source not in (Opinion.Source.RECEPTION, Opinion.Source.PAPER):
        raise ApplicationError(_("只能录入接待日或登记本收集的意见。"), code="invalid_source")
    if reception_day is not None and reception_day.station_id != station.pk:
        raise ApplicationError(_("接待日不属于该联络站。"), code="reception_mismatch")
    photos = list(photos)
    content = _validate_opinion(
        content=content, mobile=mobile, citizen_name=citizen_name, photos=photos, mobile_required=False
    )
    opinion = _create_opinion(
        station=station,
        deputy=deputy,
        category=category,
        content=content,
        mobile=mobile,
        citizen_name=citizen_name,
        photos=photos,
        source=source,
        reception_day=reception_day,
        entered_by=actor,
    )
    audit(actor, "opinion.record", opinion, data={"source": source})
    return opinion


def opinion_lookup(*, code, last_four, ip=None):
    """The citizen's tracking lookup: the code AND the last four digits of the mobile, or nothing.

    Any mismatch gives the same answer as an unknown code, and lookups are rate limited per IP address and per
    code so the four digits cannot be guessed.
    """
    code = normalize_tracking_code(code)[: TRACKING_LENGTH + 4]
    last_four = (last_four or "").strip()
    limits = rate_limits()
    ip_ok = _hit(f"opinion-lookup:ip:{_ip_key(ip)}", limits["lookup"]) if ip else True
    code_ok = _hit(f"opinion-lookup:code:{code}", (10, 3600)) if code else True
    if not (ip_ok and code_ok):
        raise ApplicationError(_("查询过于频繁，请稍后再试。"), code="rate_limited", status_code=429)
    if len(code) != TRACKING_LENGTH or len(last_four) != 4 or not last_four.isdigit():
        return None
    opinion = (
        Opinion.objects.select_related("station", "deputy", "category")
        .prefetch_related("status_changes")
        .filter(tracking_code=code)
        .first()
    )
    if opinion is None or not opinion.mobile or not secrets.compare_digest(opinion.mobile[-4:], last_four):
        return None
    return opinion


# ---------------------------------------------------------------- triage


def user_can_triage(user, opinion):
    """The manager of the opinion's station or the deputy concerned; staff of the region as well."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role == User.Role.STAFF and user.region_id:
        return region_contains(user.region, opinion.region)
    if user.role == User.Role.STATION_MANAGER:
        return opinion.station_id is not None and opinion.station.managers.filter(pk=user.pk).exists()
    if user.role == User.Role.DEPUTY:
        return Opinion.objects.visible_to(user).filter(pk=opinion.pk).exists()
    return False


def _guard(actor, opinion, to_status):
    # actor None is the system (a machine client already authenticated and scoped, such as the 12345 hotline).
    if actor is not None and not user_can_triage(actor, opinion):
        raise PermissionDenied(_("您无权处理这条意见。"))
    workflow.check(opinion, to_status)


def _transition(*, actor, opinion, to_status, note):
    opinion = workflow.lock(
        Opinion.objects.select_for_update(of=("self",)).select_related("region", "station"), opinion.pk
    )
    _guard(actor, opinion, to_status)
    change = workflow.transition(
        opinion,
        to_status,
        actor=actor,
        note=note,
        audit_data={"from": opinion.status},
        outcome_note=note,
        triaged_by=actor,
        triaged_at=timezone.now(),
    )
    transaction.on_commit(lambda: _queue_notification(change.pk))
    return opinion, change


@transaction.atomic
def opinion_change_status(*, actor, opinion, to_status, note):
    """Move an opinion along its transition table: checks the actor's right (``actor`` None is the system) and the
    table, raising PermissionDenied or InvalidTransition; records the change, audits it and texts the citizen.
    Returns ``(opinion, change)``. For other apps' outcomes (转12345 and the hotline's result)."""
    return _transition(actor=actor, opinion=opinion, to_status=to_status, note=note)


def _queue_notification(change_id):
    from liaison.outbox import enqueue
    from stations.tasks import notify_citizen_of_outcome

    enqueue(notify_citizen_of_outcome, change_id)  # kept in the outbox if Redis is down


def _require_note(note, message):
    note = (note or "").strip()
    if not note:
        raise ApplicationError(message, code="note_required", extra={"fields": {"note": [message]}})
    return note


@transaction.atomic
def opinion_mark_handled(*, actor, opinion, note):
    """已处理: what was done, which the citizen reads."""
    note = _require_note(note, _("请写明处理情况。"))
    return _transition(actor=actor, opinion=opinion, to_status=Opinion.Status.HANDLED, note=note)[0]


@transaction.atomic
def opinion_mark_unfeasible(*, actor, opinion, reason):
    """无法落实: the reason, which the citizen reads."""
    reason = _require_note(reason, _("请写明无法落实的原因。"))
    return _transition(actor=actor, opinion=opinion, to_status=Opinion.Status.UNFEASIBLE, note=reason)[0]


def register_triage_outcomes():
    """Stations' own triage outcomes (StationsConfig.ready); 转12345 is the hotline app's."""
    triage.register(
        Opinion.Status.HANDLED,
        lambda *, actor, opinion, note, lead_deputy: opinion_mark_handled(actor=actor, opinion=opinion, note=note),
    )
    triage.register(
        Opinion.Status.PROPOSAL,
        lambda *, actor, opinion, note, lead_deputy: opinion_turn_into_proposal(
            actor=actor, opinion=opinion, title=note, lead_deputy=lead_deputy
        ),
        available=proposals_available,
    )
    triage.register(
        Opinion.Status.UNFEASIBLE,
        lambda *, actor, opinion, note, lead_deputy: opinion_mark_unfeasible(actor=actor, opinion=opinion, reason=note),
    )


def triage_outcomes():
    """The outcomes offered on the triage page and the API, as ``(status, label)``: the registered outcomes that the
    transition table allows from 待处理, in the order of Opinion.Status."""
    allowed = TRANSITIONS[Opinion.Status.UNTRIAGED]
    return [(status, label) for status, label in Opinion.Status.choices if status in allowed and triage.get(status)]


def triage_opinion(*, actor, opinion, outcome, note="", lead_deputy=None):
    """One door for pages and the API: dispatch an outcome chosen in a form to its service."""
    registered = triage.get(outcome) if outcome in TRANSITIONS[Opinion.Status.UNTRIAGED] else None
    if registered is not None:
        return registered.run(actor=actor, opinion=opinion, note=note, lead_deputy=lead_deputy)
    raise ApplicationError(
        _("请选择处理结果。"), code="invalid_outcome", extra={"fields": {"outcome": [_("请选择处理结果。")]}}
    )


def outcome_sms_text(opinion, change):
    texts = {
        Opinion.Status.HANDLED: _("您反映的意见（查询码 %(code)s）已处理：%(note)s"),
        Opinion.Status.PROPOSAL: _("您反映的意见（查询码 %(code)s）已由人大代表转为建议提交：%(note)s"),
        Opinion.Status.HOTLINE: _("您反映的意见（查询码 %(code)s）已转 12345 热线办理：%(note)s"),
        Opinion.Status.UNFEASIBLE: _("您反映的意见（查询码 %(code)s）暂无法落实，原因：%(note)s"),
    }
    template = texts.get(change.to_status, _("您反映的意见（查询码 %(code)s）有新进展：%(note)s"))
    return template % {"code": opinion.tracking_code, "note": change.note[:120]}


@transaction.atomic
def opinion_notify_citizen(*, change_id):
    """Send the outcome SMS once: a task delivered twice finds ``notified_at`` set and does nothing."""
    from liaison.sms import send_sms

    change = (
        OpinionStatusChange.objects.select_for_update(of=("self",))
        .select_related("opinion")
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.notified_at is not None or not change.opinion.mobile:
        return False
    send_sms(
        change.opinion.mobile, outcome_sms_text(change.opinion, change), idempotency_key=f"opinion-change-{change.pk}"
    )
    change.notified_at = timezone.now()
    change.save(update_fields=["notified_at"])
    return True


# ---------------------------------------------------------------- privacy


def opinion_view_mobile(*, actor, opinion, request=None):
    """The one screen where the whole number shows: only for whoever must call back, and always audited."""
    if not user_can_triage(actor, opinion):
        raise PermissionDenied(_("您无权查看群众的联系电话。"))
    audit(actor, "opinion.view_mobile", opinion, request=request)
    return opinion.mobile


def opinion_erase_expired_personal_data(*, now=None):
    """Erase name, mobile and photos of opinions older than OPINION_RETENTION_DAYS; counts and states stay."""
    now = now or timezone.now()
    days = int(_setting("OPINION_RETENTION_DAYS", 1095))
    cutoff = now - timezone.timedelta(days=days)
    erased = 0
    expired = Opinion.objects.filter(created_at__lt=cutoff, personal_data_erased_at__isnull=True)
    for opinion_id in expired.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            opinion = Opinion.objects.select_for_update().get(pk=opinion_id)
            for photo in opinion.photos.all():
                photo.image.delete(save=False)
            opinion.photos.all().delete()
            opinion.citizen_name = ""
            opinion.mobile = ""
            opinion.personal_data_erased_at = now
            opinion.save(update_fields=["citizen_name", "mobile", "personal_data_erased_at", "updated_at"])
            # Copies held by other apps (the 12345 work orders) are erased by their receivers, in this transaction.
            signals.opinion_personal_data_erased.send(sender=Opinion, opinion=opinion)
            erased += 1
    if erased:
        audit(None, "opinion.erase_personal_data", data={"count": erased, "cutoff": cutoff.isoformat()})
    return erased


def station_for_public(pk):
    from stations.selectors import public_station_row

    return public_station_row(pk=pk)


def proposals_available():
    """转建议 is offered wherever the proposals app is installed."""
    from django.apps import apps

    return apps.is_installed("proposals")


def proposal_candidates(opinion):
    """Deputies who can lead a proposal drawn from this opinion: the deputy addressed, or the station's deputies."""
    from deputies.models import Deputy

    if opinion.deputy_id:
        return Deputy.objects.filter(pk=opinion.deputy_id)
    return Deputy.objects.filter(
        pk__in=StationAssignment.objects.filter(station_id=opinion.station_id)
        .filter(Q(until__isnull=True) | Q(until__gte=timezone.localdate()))
        .values("deputy_id")
    ).order_by("name")


def _lead_seat(deputy, region):
    """The deputy's in-office seat for the proposal: a congress whose region contains the opinion's region, the one
    closest to the ground first; otherwise the seat closest to the ground."""
    from deputies.models import Membership

    seats = list(
        Membership.objects.filter(deputy=deputy, status=Membership.Status.IN_OFFICE)
        .select_related("congress__region")
        .order_by("-congress__level", "id")
    )
    for seat in seats:
        if region_contains(seat.congress.region, region):
            return seat.congress
    if seats:
        return seats[0].congress
    raise ApplicationError(_("该代表暂无在任代表资格，不能领衔提出建议。"), code="lead_without_seat")


@transaction.atomic
def opinion_turn_into_proposal(*, actor, opinion, title="", lead_deputy=None):
    """转建议: a draft proposal in the lead deputy's portal, linked both ways (Opinion.proposal and the proposal's
    origin_reference ``opinion:<tracking code>``)."""
    from proposals.models import Proposal
    from proposals.services import proposal_create_draft

    # Lock and check state and rights before drafting, so a refused triage leaves no orphan draft.
    locked = Opinion.objects.select_for_update(of=("self",)).select_related("region", "station").get(pk=opinion.pk)
    _guard(actor, locked, Opinion.Status.PROPOSAL)
    opinion = Opinion.objects.select_related("category", "region", "station").get(pk=opinion.pk)
    candidates = proposal_candidates(opinion)
    if actor.role == User.Role.DEPUTY:
        lead_deputy = getattr(actor, "deputy", None)
    elif lead_deputy is None:
        only = list(candidates[:2])
        if len(only) != 1:
            message = _("请选择领衔代表。")
            raise ApplicationError(message, code="lead_required", extra={"fields": {"lead_deputy": [message]}})
        lead_deputy = only[0]
    if lead_deputy is None or not candidates.filter(pk=lead_deputy.pk).exists():
        message = _("领衔代表须为本站进站代表或意见所反映的代表。")
        raise ApplicationError(message, code="lead_not_candidate", extra={"fields": {"lead_deputy": [message]}})
    title = " ".join((title or "").split())[:200] or _("关于%(summary)s的建议") % {"summary": opinion.content[:30]}
    content = _("群众意见（查询码 %(code)s，%(category)s）：\n%(content)s") % {
        "code": opinion.tracking_code,
        "category": opinion.category.name,
        "content": opinion.content,
    }
    proposal = proposal_create_draft(
        actor=actor,
        lead_deputy=lead_deputy,
        congress=_lead_seat(lead_deputy, opinion.region),
        title=title,
        content=content,
        kind=Proposal.Kind.SUGGESTION,
        category=opinion.category.name[:32],
        origin=Proposal.Origin.OPINION,
        origin_reference=f"opinion:{opinion.tracking_code}",
    )
    note = _("已由 %(deputy)s 代表转为建议：%(title)s") % {"deputy": lead_deputy.name, "title": title}
    opinion, _change = _transition(actor=actor, opinion=opinion, to_status=Opinion.Status.PROPOSAL, note=note)
    opinion.proposal = proposal
    opinion.save(update_fields=["proposal", "updated_at"])
    return opinion
