"""The access-control matrix: what every route answers to every role.

One entry per URL pattern (its ``namespace:name``, or its route when it has no name). ``kwargs`` name the objects of
the ``world`` fixture (tests/security/conftest.py) whose pks fill the URL (``"=close"`` is a literal value); each
method maps to a row of expected outcomes, one per role, in the order of :data:`ROLES`:

    anonymous, deputy, station manager, handling-unit user, staff of another region (衡阳), staff (株洲), superuser

An outcome is an HTTP status, ``LOGIN`` (302 to the login page), ``ADMIN_LOGIN`` or ``REDIRECT`` (any other 302).
The objects all belong to 株洲: the deputy is their lead deputy, the unit user's unit handles the proposal, the
衡阳 staff sees none of them. POST rows send an empty body: they prove who is let in, not that the action works.
A route without an entry fails tests/security/test_access_matrix.py.
"""

from dataclasses import dataclass, field

from tests.security.conftest import ROLES
from tests.security.urlwalk import ADMIN_LOGIN, LOGIN, REDIRECT

__all__ = ["ADMIN", "ADMIN_LOGIN", "LOGIN", "MATRIX", "REDIRECT", "SERVED", "Entry", "entry_for"]


def row(anonymous, deputy, manager, unit, other_staff, staff, superuser):
    return dict(zip(ROLES, (anonymous, deputy, manager, unit, other_staff, staff, superuser), strict=True))


SERVED = "served"  # anything below 500 except a login redirect: what admin pages show depends on model permissions


@dataclass
class Entry:
    kwargs: dict = field(default_factory=dict)
    methods: dict = field(default_factory=dict)
    public: bool = False
    note: str = ""


def E(kwargs=None, public=False, note="", **methods):  # noqa: N802 - reads as a table
    return Entry(kwargs=kwargs or {}, methods=methods, public=public, note=note)


# Django's admin guards every one of its views with AdminSite.admin_view: only is_staff users get past the login
# page. Staff then see what their model permissions and the scoped admins (liaison.admin.ScopedAdminMixin) allow.
ADMIN = E(note="django admin", get=row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, SERVED, SERVED, SERVED))

MATRIX = {
    "home": E(note="anonymous: to the public portal", get=row(REDIRECT, REDIRECT, 200, 200, 200, 200, 200)),
    "healthz": E(get=row(200, 200, 200, 200, 200, 200, 200)),
    "favicon": E(get=row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "login": E(
        get=row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=row(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ),
    "logout": E(get=row(405, 405, 405, 405, 405, 405, 405), post=row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "reauth": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200), post=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "otp-verify": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200), post=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "set_language": E(
        get=row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    ),
    "deputies:portal": E(get=row(LOGIN, 200, 404, 404, 404, 404, 404)),
    "deputies:roster": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    # personal data: staff are asked for their password again first (liaison.reauth), then get the file
    "deputies:roster_export": E(get=row(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT)),
    "deputies:duty_records": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "deputies:duty_record_new": E(
        get=row(LOGIN, 404, 404, 404, 200, 200, 200), post=row(LOGIN, 404, 404, 404, 200, 200, 200)
    ),
    "deputies:duty_record_attachment": E(kwargs={"pk": "duty_record"}, get=row(LOGIN, 404, 404, 404, 404, 404, 404)),
    "deputies:my_duties": E(get=row(LOGIN, 200, 404, 404, 404, 404, 404)),
    "deputies:duty_register": E(
        get=row(LOGIN, 200, 404, 404, 404, 404, 404), post=row(LOGIN, 200, 404, 404, 404, 404, 404)
    ),
    "deputies:duty_resubmit": E(
        kwargs={"pk": "self_duty_record"},
        get=row(LOGIN, 200, 404, 404, 404, 404, 404),
        post=row(LOGIN, 200, 404, 404, 404, 404, 404),
    ),
    "deputies:duty_review_queue": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "deputies:duty_review": E(kwargs={"pk": "self_duty_record"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    # returned, so approving is refused: staff are sent back to the record with the refusal
    "deputies:duty_review_approve": E(
        kwargs={"pk": "self_duty_record"},
        get=row(LOGIN, 405, 405, 405, 405, 405, 405),
        post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT),
    ),
    "deputies:duty_review_return": E(
        kwargs={"pk": "self_duty_record"},
        get=row(LOGIN, 405, 405, 405, 405, 405, 405),
        post=row(LOGIN, 404, 404, 404, 404, 400, 400),
    ),
    "deputies:ranking_index": E(get=row(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT)),
    "deputies:ranking": E(kwargs={"congress_id": "congress"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    "deputies:ranking_export": E(kwargs={"congress_id": "congress"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    "proposals:list": E(get=row(LOGIN, 200, 200, REDIRECT, 200, 200, 200)),
    "proposals:new": E(get=row(LOGIN, 200, 404, 404, 404, 404, 404), post=row(LOGIN, 200, 404, 404, 404, 404, 404)),
    "proposals:workbench": E(get=row(LOGIN, 404, 404, 200, 404, 404, 404)),
    "proposals:review": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:assign": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200), post=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:key": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:ledger": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:overdue": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:figures": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:export": E(get=row(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT)),
    "proposals:detail": E(kwargs={"pk": "proposal"}, get=row(LOGIN, 200, 404, 200, 404, 200, 200)),
    "proposals:edit": E(
        kwargs={"pk": "draft"},
        get=row(LOGIN, 200, 404, 404, 404, 404, 200),
        post=row(LOGIN, 200, 404, 404, 404, 404, 200),
    ),
    "proposals:act": E(
        kwargs={"pk": "proposal", "action": "=reply"}, post=row(LOGIN, REDIRECT, 404, REDIRECT, 404, REDIRECT, REDIRECT)
    ),
    "activities:list": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "activities:plan": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200), post=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "activities:mine": E(get=row(LOGIN, 200, 404, 404, 404, 404, 404)),
    "activities:respond": E(kwargs={"pk": "invitation"}, post=row(LOGIN, REDIRECT, 404, 404, 404, 404, 404)),
    "activities:detail": E(kwargs={"pk": "activity"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    # the world's activity starts in two days: the deputy's sign-in is refused (a message, back to the page)
    "activities:sign_in": E(
        kwargs={"pk": "activity"},
        get=row(LOGIN, 200, 404, 404, 404, 404, 404),
        post=row(LOGIN, REDIRECT, 404, 404, 404, 404, 404),
    ),
    "activities:attendance": E(kwargs={"pk": "activity"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)),
    "activities:qr": E(kwargs={"pk": "activity", "fmt": "=png"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    # the world's activity is planned, not held: the record forms answer with a message, back to the page
    "activities:minutes": E(kwargs={"pk": "activity"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)),
    "activities:file_add": E(kwargs={"pk": "activity"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)),
    "activities:outcome_add": E(kwargs={"pk": "activity"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)),
    # the world's activity has no file: 404 for everyone (a file of another region is 404 in tests/activities)
    "activities:file": E(kwargs={"pk": "activity"}, get=row(LOGIN, 404, 404, 404, 404, 404, 404)),
    "activities:action": E(
        kwargs={"pk": "activity", "action": "=held"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)
    ),
    "votes:session_list": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "votes:session_detail": E(kwargs={"pk": "open_session"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    "votes:checkin": E(
        kwargs={"pk": "open_session"},
        get=row(LOGIN, 404, 404, 404, 404, 200, 200),
        post=row(LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    "votes:paper_entry": E(
        kwargs={"pk": "open_session"},
        get=row(LOGIN, 404, 404, 404, 404, 200, 200),
        post=row(LOGIN, 404, 404, 404, 404, 200, 200),
    ),
    "votes:session_action": E(
        kwargs={"pk": "open_session", "action": "=close"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)
    ),
    "votes:my_ballots": E(get=row(LOGIN, 200, 404, 404, 404, 404, 404)),
    "votes:ballot": E(
        kwargs={"pk": "open_session"},
        get=row(LOGIN, 200, 404, 404, 404, 404, 404),
        post=row(LOGIN, 200, 404, 404, 404, 404, 404),
    ),
    "votes:result_list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "votes:result_detail": E(kwargs={"pk": "vote_session"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "votes:project_list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "votes:project_public": E(kwargs={"pk": "project"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "votes:progress_report": E(
        kwargs={"pk": "project"},
        get=row(LOGIN, 200, 404, 200, 404, 200, 200),
        post=row(LOGIN, 200, 404, 200, 404, 200, 200),
    ),
    "votes:rate": E(kwargs={"pk": "project"}, post=row(LOGIN, REDIRECT, 404, REDIRECT, 404, REDIRECT, REDIRECT)),
    "votes:inspect": E(
        kwargs={"pk": "project"},
        get=row(LOGIN, 404, 404, 404, 404, 404, 404),
        post=row(LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    "notifications:inbox": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "notifications:mark-read": E(kwargs={"pk": "notification"}, post=row(LOGIN, REDIRECT, 404, 404, 404, 404, 404)),
    "notifications:mark-all-read": E(post=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "notifications:preferences": E(
        get=row(LOGIN, 200, 200, 200, 200, 200, 200), post=row(LOGIN, 200, 200, 200, 200, 200, 200)
    ),
    "notifications:badge": E(get=row(204, 200, 200, 200, 200, 200, 200), post=row(405, 405, 405, 405, 405, 405, 405)),
    # background jobs: staff only; the personal-data ones ask for the password again (a REDIRECT) before starting
    "notifications:job-start": E(
        kwargs={"kind": "=proposals.ledger"},
        get=row(LOGIN, 405, 405, 405, 405, 405, 405),
        post=row(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT),
    ),
    # a job belongs to whoever started it: anyone else, and any unknown key, gets 404
    "notifications:job": E(kwargs={"key": "=0123456789abcdef"}, get=row(LOGIN, 404, 404, 404, 404, 404, 404)),
    "notifications:job-progress": E(kwargs={"key": "=0123456789abcdef"}, get=row(LOGIN, 404, 404, 404, 404, 404, 404)),
    "notifications:job-download": E(kwargs={"key": "=0123456789abcdef"}, get=row(LOGIN, 404, 404, 404, 404, 404, 404)),
    "api-me": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "region-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "region-detail": E(kwargs={"pk": "region"}, get=row(403, 404, 404, 404, 404, 200, 200)),
    "organization-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "organization-detail": E(kwargs={"pk": "organization"}, get=row(403, 404, 404, 200, 404, 200, 200)),
    "congress-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "congress-detail": E(kwargs={"pk": "congress"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "congress-ranking": E(kwargs={"pk": "congress"}, get=row(403, 403, 403, 403, 404, 200, 200)),
    "membership-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "membership-detail": E(kwargs={"pk": "membership"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "deputy-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "deputy-detail": E(kwargs={"pk": "deputy"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "duty-record-list": E(get=row(403, 200, 200, 200, 200, 200, 200), post=row(403, 403, 403, 403, 400, 400, 400)),
    "duty-record-detail": E(kwargs={"pk": "duty_record"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "duty-record-submit": E(post=row(403, 400, 403, 403, 403, 403, 403)),
    "duty-record-resubmit": E(kwargs={"pk": "self_duty_record"}, post=row(403, 400, 403, 403, 403, 403, 403)),
    "duty-record-approve": E(kwargs={"pk": "self_duty_record"}, post=row(403, 403, 403, 403, 404, 409, 409)),
    "duty-record-return": E(kwargs={"pk": "self_duty_record"}, post=row(403, 403, 403, 403, 400, 400, 400)),
    "proposal-draft-create": E(post=row(403, 400, 400, 400, 400, 400, 400)),
    "proposal-assign-batch": E(post=row(403, 403, 403, 403, 400, 400, 400)),
    "proposal-figures": E(get=row(403, 403, 403, 403, 200, 200, 200)),
    "proposal-submit": E(kwargs={"pk": "proposal"}, post=row(403, 409, 404, 403, 404, 403, 403)),
    "proposal-withdraw": E(kwargs={"pk": "proposal"}, post=row(403, 409, 404, 403, 404, 403, 403)),
    "proposal-cosigners": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-cosign-confirm": E(kwargs={"pk": "proposal"}, post=row(403, 403, 404, 403, 404, 403, 403)),
    "proposal-accept": E(kwargs={"pk": "proposal"}, post=row(403, 403, 404, 403, 404, 409, 409)),
    "proposal-merge": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-send-back": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-transfer": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-return": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-extend": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-key-supervision": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-contacts": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-co-opinion": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-reply": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-rate": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-promise-met": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-staff-close": E(kwargs={"pk": "proposal"}, post=row(403, 400, 404, 400, 404, 400, 400)),
    "proposal-close": E(kwargs={"pk": "proposal"}, post=row(403, 403, 404, 403, 404, 409, 409)),
    "proposal-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "proposal-detail": E(kwargs={"pk": "proposal"}, get=row(403, 200, 404, 200, 404, 200, 200)),
    "proposal-history": E(kwargs={"pk": "proposal"}, get=row(403, 200, 404, 200, 404, 200, 200)),
    "proposal-assignment-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "proposal-assignment-detail": E(kwargs={"pk": "assignment"}, get=row(403, 200, 404, 200, 404, 200, 200)),
    "activity-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "activity-detail": E(kwargs={"pk": "activity"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "activity-invitation-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "activity-invitation-detail": E(kwargs={"pk": "invitation"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "activity-plan": E(post=row(403, 403, 403, 403, 400, 400, 400)),
    "activity-sign-in": E(kwargs={"activity_id": "activity"}, post=row(403, 400, 403, 403, 403, 403, 403)),
    # the world's activity is planned and starts in two days: held 400 (not started), close 409, the record 400/415/409
    "activity-held": E(kwargs={"activity_id": "activity"}, post=row(403, 403, 403, 403, 404, 400, 400)),
    "activity-close": E(kwargs={"activity_id": "activity"}, post=row(403, 403, 403, 403, 404, 409, 409)),
    "activity-minutes": E(kwargs={"activity_id": "activity"}, post=row(403, 403, 403, 403, 404, 400, 400)),
    "activity-files": E(kwargs={"activity_id": "activity"}, post=row(403, 403, 403, 403, 404, 415, 415)),
    "activity-outcomes": E(kwargs={"activity_id": "activity"}, post=row(403, 403, 403, 403, 404, 400, 400)),
    "activity-respond": E(kwargs={"invitation_id": "invitation"}, post=row(403, 400, 403, 403, 403, 403, 403)),
    "vote-ballot-cast": E(
        kwargs={"session_id": "open_session"},
        get=row(403, 405, 403, 403, 403, 403, 403),
        post=row(403, 400, 403, 403, 403, 403, 403),
    ),
    "vote-session-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "vote-session-detail": E(kwargs={"pk": "open_session"}, get=row(403, 200, 404, 404, 404, 200, 200)),
    "vote-result-list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "vote-result-detail": E(kwargs={"pk": "vote_session"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "vote-project-list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "vote-project-detail": E(kwargs={"pk": "project"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "api-schema": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "api-docs": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "api-redoc": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    # 码上找代表: the directory, the QR form, its thanks page and tracking are for citizens, without login
    "stations:directory": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "stations:public_station": E(kwargs={"pk": "station"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "stations:opinion_station": E(
        kwargs={"pk": "station"},
        public=True,
        get=row(200, 200, 200, 200, 200, 200, 200),
        post=row(400, 400, 400, 400, 400, 400, 400),
    ),
    "stations:opinion_deputy": E(
        kwargs={"pk": "deputy"},
        public=True,
        get=row(200, 200, 200, 200, 200, 200, 200),
        post=row(400, 400, 400, 400, 400, 400, 400),
    ),
    "stations:opinion_thanks": E(
        public=True, get=row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
    ),
    "stations:track": E(
        public=True, get=row(200, 200, 200, 200, 200, 200, 200), post=row(200, 200, 200, 200, 200, 200, 200)
    ),
    "stations:station_qr": E(kwargs={"pk": "station", "fmt": "=svg"}, get=row(LOGIN, 200, 200, 404, 404, 200, 200)),
    "stations:station_poster": E(kwargs={"pk": "station"}, get=row(LOGIN, 200, 200, 404, 404, 200, 200)),
    "stations:deputy_qr": E(kwargs={"pk": "deputy", "fmt": "=svg"}, get=row(LOGIN, 200, 404, 404, 404, 200, 200)),
    "stations:station_list": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "stations:station_manage": E(kwargs={"pk": "station"}, get=row(LOGIN, 200, 200, 404, 404, 200, 200)),
    "stations:reception_schedule": E(
        kwargs={"pk": "station"},
        get=row(LOGIN, 200, 200, 404, 404, 200, 200),
        post=row(LOGIN, 200, 200, 404, 404, 200, 200),
    ),
    "stations:reception_list": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "stations:reception_detail": E(kwargs={"pk": "reception_day"}, get=row(LOGIN, 200, 200, 404, 404, 200, 200)),
    "stations:opinion_list": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "stations:opinion_export": E(get=row(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),
    "stations:opinion_record": E(
        get=row(LOGIN, 200, 200, 200, 200, 200, 200), post=row(LOGIN, 200, 200, 200, 200, 200, 200)
    ),
    "stations:opinion_detail": E(
        kwargs={"pk": "opinion"},
        get=row(LOGIN, 200, 200, 404, 404, 200, 200),
        post=row(LOGIN, 400, 400, 404, 404, 400, 400),
    ),
    "stations:opinion_call_back": E(kwargs={"pk": "opinion"}, post=row(LOGIN, 200, 200, 404, 404, 200, 200)),
    "stations:figures": E(get=row(LOGIN, 200, 200, 200, 200, 200, 200)),
    "opinion-triage": E(kwargs={"pk": "opinion"}, post=row(403, 400, 400, 404, 404, 400, 400)),
    "reception-day-schedule": E(post=row(403, 400, 400, 400, 400, 400, 400)),
    "reception-day-log": E(kwargs={"pk": "reception_day"}, post=row(403, 400, 400, 404, 404, 400, 400)),
    "public-station-list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "public-station-detail": E(kwargs={"pk": "station"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "station-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "station-detail": E(kwargs={"pk": "station"}, get=row(403, 200, 200, 404, 404, 200, 200)),
    "opinion-category-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "opinion-category-detail": E(kwargs={"code": "=road"}, get=row(403, 200, 200, 200, 200, 200, 200)),
    "opinion-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "opinion-detail": E(kwargs={"pk": "opinion"}, get=row(403, 200, 200, 404, 404, 200, 200)),
    "reception-day-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "reception-day-detail": E(kwargs={"pk": "reception_day"}, get=row(403, 200, 200, 404, 404, 200, 200)),
    "proposals:unrated": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    # joint supervision (联合督办): staff of the committee's region and the committee's own users (none here)
    "proposals:supervision_list": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "proposals:supervision_new": E(
        get=row(LOGIN, 404, 404, 404, 200, 200, 200), post=row(LOGIN, 404, 404, 404, 200, 200, 200)
    ),
    "proposals:supervision_export": E(get=row(LOGIN, 404, 404, 404, REDIRECT, REDIRECT, REDIRECT)),
    "proposals:supervision_detail": E(kwargs={"pk": "joint_supervision"}, get=row(LOGIN, 404, 404, 404, 404, 200, 200)),
    "proposals:supervision_add": E(
        kwargs={"pk": "joint_supervision"},
        get=row(LOGIN, 404, 404, 404, 404, 200, 200),
        post=row(LOGIN, 404, 404, 404, 404, 200, 200),  # nothing picked: the form again with the service's message
    ),
    "proposals:supervision_visit": E(
        kwargs={"pk": "joint_supervision"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)
    ),
    "proposals:supervision_close": E(
        kwargs={"pk": "joint_supervision"}, post=row(LOGIN, 404, 404, 404, 404, REDIRECT, REDIRECT)
    ),
    "joint-supervision-list": E(get=row(403, 200, 200, 200, 200, 200, 200)),
    "joint-supervision-detail": E(kwargs={"pk": "joint_supervision"}, get=row(403, 404, 404, 404, 404, 200, 200)),
    "joint-supervision-create": E(post=row(403, 403, 403, 403, 400, 400, 400)),
    "joint-supervision-visits": E(kwargs={"pk": "joint_supervision"}, post=row(403, 404, 404, 404, 404, 400, 400)),
    "joint-supervision-add-proposals": E(
        kwargs={"pk": "joint_supervision"}, post=row(403, 403, 403, 403, 404, 400, 400)
    ),
    "joint-supervision-close": E(kwargs={"pk": "joint_supervision"}, post=row(403, 403, 403, 403, 404, 400, 400)),
    # the staff dashboard: aggregated figures of the caller's region, no personal data in its exports
    "dashboard:index": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "dashboard:export": E(kwargs={"key": "=receptions"}, get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "dashboard:report": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    "dashboard:report_pdf": E(get=row(LOGIN, 404, 404, 404, 200, 200, 200)),
    # 数字人大: the public pages (published figures, deputies' public profiles, approved stories)
    "public:index": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "public:deputy_list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "public:deputy_profile": E(kwargs={"pk": "deputy"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "public:deputy_file_preview": E(get=row(LOGIN, 200, 404, 404, 404, 404, 404)),
    "public:story_list": E(public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "public:story_detail": E(kwargs={"pk": "story"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "api-figures": E(get=row(403, 403, 403, 403, 200, 200, 200)),
    "stations:deputy_line": E(get=row(LOGIN, 200, 403, 403, 403, 403, 403)),
    # 12345 hotline: HMAC-signed machine clients only (no session role gets in); Open311 GeoReport v2 is public
    "hotline-ping": E(get=row(401, 401, 401, 401, 401, 401, 401)),
    "hotline-work-order-push": E(
        get=row(401, 401, 401, 401, 401, 401, 401), post=row(401, 401, 401, 401, 401, 401, 401)
    ),
    "hotline-work-order": E(kwargs={"pk": "=1"}, get=row(401, 401, 401, 401, 401, 401, 401)),
    "hotline-work-order-status": E(
        kwargs={"pk": "=1"}, get=row(401, 401, 401, 401, 401, 401, 401), post=row(401, 401, 401, 401, 401, 401, 401)
    ),
    "open311-discovery": E(kwargs={"fmt": "=json"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "open311-services": E(kwargs={"fmt": "=json"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)),
    "open311-service": E(
        kwargs={"code": "=road", "fmt": "=json"}, public=True, get=row(200, 200, 200, 200, 200, 200, 200)
    ),
    # reading requests is public (GeoReport v2); creating one needs a client's api_key
    "open311-requests": E(
        kwargs={"fmt": "=json"},
        public=True,
        get=row(200, 200, 200, 200, 200, 200, 200),
        post=row(403, 403, 403, 403, 403, 403, 403),
    ),
    "open311-request": E(kwargs={"request_id": "=1", "fmt": "=json"}, get=row(404, 404, 404, 404, 404, 404, 404)),
    # the admin's own login and logout pages answer everyone; every other admin page is behind them (ADMIN below)
    "admin:login": E(get=row(200, 200, 200, 200, REDIRECT, REDIRECT, REDIRECT)),
    "admin:logout": E(post=row(REDIRECT, REDIRECT, REDIRECT, REDIRECT, LOGIN, LOGIN, LOGIN)),
}


def entry_for(key):
    if key in MATRIX:
        return MATRIX[key]
    if key.startswith(("admin:", "admin/")):
        return ADMIN
    return None
