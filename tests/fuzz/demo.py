"""The demo data (``load_demo``, what ``make run`` shows) loaded once per test module, one logged-in client per role."""

import pytest
from django.core.management import call_command
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
    """Loaded once for the module (the loader takes seconds); removed at the end so other modules start empty."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        yield
        call_command("flush", interactive=False, verbosity=0)


def client_for(username):
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
    if username:
        client.force_login(User.objects.get(username=username))
    return client
