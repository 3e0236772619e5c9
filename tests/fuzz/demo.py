"""The demo data (``load_demo``, what ``make run`` shows) loaded once per test module, one logged-in client per role."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from liaison.models import User

ROLES = {
    "anonymous": None,
    "staff": "staff_zz",
    "deputy": "deputy_zz",
    "unit": "unit_zz_zj",
    "manager": "manager_zz",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Loaded once for the module (the loader takes seconds) inside a transaction that is rolled back at the end, so
    other modules start from the migrated database; each test's own transaction nests as a savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def client_for(username, *, raise_request_exception=True):
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans", raise_request_exception=raise_request_exception
    )
    if username:
        client.force_login(User.objects.get(username=username))
    return client
