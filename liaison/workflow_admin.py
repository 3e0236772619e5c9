"""The admin side of the workflow core: every workflow model's change list shows its transition table."""

from django.template.loader import select_template
from django.template.response import TemplateResponse

from liaison import workflow

TABLE_TEMPLATE = "admin/workflow/change_list.html"


class TransitionTableAdminMixin:
    """Put first in the bases of a workflow model's ModelAdmin: the table is the documentation, shown to staff.

    The page keeps whatever change-list template the admin had (import/export's, for instance): it becomes the
    parent of :data:`TABLE_TEMPLATE`, which adds the table below the list.
    """

    def changelist_view(self, request, extra_context=None):
        table = workflow.workflow_of(self.model).table()
        response = super().changelist_view(request, {**(extra_context or {}), "transitions": table})
        if isinstance(response, TemplateResponse) and not response.is_rendered:
            names = response.template_name
            response.context_data["workflow_parent_template"] = select_template(
                [names] if isinstance(names, str) else list(names)
            )
            response.template_name = TABLE_TEMPLATE
        return response
