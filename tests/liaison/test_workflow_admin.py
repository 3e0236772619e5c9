"""Every workflow model's admin change list shows its transition table, from the model's own TRANSITIONS."""

import pytest
from django.contrib import admin
from django.urls import reverse

from liaison import workflow
from liaison.workflow_admin import TransitionTableAdminMixin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FLOWS = workflow.registered()


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.model.__name__)
def test_the_change_list_shows_the_transition_table(client, regions, flow):
    assert isinstance(admin.site._registry[flow.model], TransitionTableAdminMixin)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    meta = flow.model._meta
    response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="workflow-transitions"') :]
    assert "状态流转表" in table
    for source, targets in flow.table():
        assert f"<td>{source}</td><td>{'、'.join(str(t) for t in targets)}</td>" in table
    assert 'id="changelist"' in html  # the list itself is still there
    model_admin = admin.site._registry[flow.model]
    if hasattr(model_admin, "import_action") and model_admin.has_import_permission(response.wsgi_request):
        # the import button of import-export admins: their own change-list template is still the page's parent
        assert reverse(f"admin:{meta.app_label}_{meta.model_name}_import") in html
