"""Import of historical proposals (django-import-export) and the .xlsx ledger (台账) export."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from deputies.models import Congress, Deputy
from liaison.xlsx import workbook_bytes
from proposals.models import Proposal


class ProposalImportResource(resources.ModelResource):
    """Historical proposals from earlier years: matched on ``number``; deputies by code, congress by name.
    Imported rows are final records (status 已办结 unless given) and never enter the workflow again."""

    congress = fields.Field(
        attribute="congress", column_name="congress", widget=widgets.ForeignKeyWidget(Congress, field="name")
    )
    lead_deputy = fields.Field(
        attribute="lead_deputy", column_name="lead_deputy", widget=widgets.ForeignKeyWidget(Deputy, field="code")
    )

    class Meta:
        model = Proposal
        import_id_fields = ["number"]
        fields = [
            "number",
            "congress",
            "session",
            "kind",
            "category",
            "title",
            "content",
            "lead_deputy",
            "status",
            "submitted_at",
            "reply_class",
            "rating",
        ]
        skip_unchanged = True

    def before_save_instance(self, instance, row, **kwargs):
        instance.region_id = instance.congress.region_id
        instance.origin = Proposal.Origin.IMPORT
        if not instance.status:
            instance.status = Proposal.Status.CLOSED
        if instance.submitted_at is None:
            instance.submitted_at = timezone.now()


LEDGER_COLUMNS = [
    (_("编号"), lambda p: p.number),
    (_("标题"), lambda p: p.title),
    (_("领衔代表"), lambda p: p.lead_deputy.name),
    (_("会议"), lambda p: str(p.session_display)),
    (_("主办单位"), lambda p: "、".join(a.unit.name for a in p.unit_list if a.role == "lead")),
    (_("协办单位"), lambda p: "、".join(a.unit.name for a in p.unit_list if a.role == "co")),
    (_("答复期限"), lambda p: min((a.deadline for a in p.unit_list), default=None)),
    (_("答复类别"), lambda p: p.reply_class),
    (_("承诺解决日期"), lambda p: p.promised_on),
    (_("满意度"), lambda p: str(p.get_rating_display()) if p.rating else ""),
    (_("二次交办次数"), lambda p: p.rehandle_count),
    (_("重点督办"), lambda p: str(_("是")) if p.is_key_supervised else ""),
    (_("状态"), lambda p: str(p.get_status_display())),
]


def ledger_workbook(proposals):
    return workbook_bytes(
        _("建议办理台账"),
        [title for title, _get in LEDGER_COLUMNS],
        ([get(proposal) for _title, get in LEDGER_COLUMNS] for proposal in proposals),
    )
