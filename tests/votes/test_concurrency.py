"""50 simultaneous submissions by one deputy through a real server on PostgreSQL store exactly one ballot."""

import json
import secrets
import threading
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.votes.factories import choices_for, deputy_user, make_congress, make_session
from votes import services
from votes.models import Ballot, BallotReceipt

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 50


def _session_cookie(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "liaison.auth.UsernameOrMobileBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def test_fifty_simultaneous_ballots_by_one_deputy_store_exactly_one(live_server, regions, staff_zz):
    congress, seats = make_congress(regions["tianyuan"], deputies=3)
    session = make_session(actor=staff_zz, congress=congress)
    services.session_open(actor=staff_zz, session=session)
    user = deputy_user(seats[0])
    services.checkin_register(actor=staff_zz, session=session, membership=seats[0])
    cookie = _session_cookie(user)
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret in the header
    body = json.dumps(
        {
            "choices": [
                {"candidate": int(k), "choice": v} for k, v in choices_for(session, "for", "for", "against").items()
            ]
        }
    ).encode()
    # Django's development server listens with a backlog of 10; 50 simultaneous connects need more room.
    live_server.thread.httpd.socket.listen(128)
    url = f"{live_server.url}/api/v1/vote-sessions/{session.pk}/ballots/"
    barrier = threading.Barrier(ATTEMPTS)
    results = []
    lock = threading.Lock()

    def submit():
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
            },
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                outcome = (response.status, json.loads(response.read()))
        except urllib.error.HTTPError as error:
            outcome = (error.code, json.loads(error.read()))
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=submit) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * (ATTEMPTS - 1)
    refusals = {body["message"] for status, body in results if status == 409}
    assert refusals == {"您已经投过票，每位代表只能投一票。"}
    assert Ballot.objects.filter(session=session).count() == 1
    assert BallotReceipt.objects.filter(session=session).count() == 1
