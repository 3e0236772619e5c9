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


def _latest_reply(proposal):
    return proposal.reply_list[-1] if proposal.reply_list else None


def _last_visit(supervision):
    visit = supervision.visit_list[-1] if supervision.visit_list else None
    return f"{visit.visited_on} {visit.place}" if visit else ""


# One row per supervised proposal of each joint supervision (the item's columns repeat on each of its rows).
JOINT_SUPERVISION_COLUMNS = [
    (_("督办主题"), lambda js, p: js.title),
    (_("牵头专门委员会"), lambda js, p: js.committee.name),
    (_("督办状态"), lambda js, p: str(js.get_status_display())),
    (_("建议编号"), lambda js, p: p.number),
    (_("建议标题"), lambda js, p: p.title),
    (_("领衔代表"), lambda js, p: p.lead_deputy.name),
    (_("主办单位"), lambda js, p: "、".join(a.unit.name for a in p.unit_list if a.role == "lead")),
    (_("建议状态"), lambda js, p: str(p.get_status_display())),
    (_("答复类别"), lambda js, p: p.reply_class),
    (_("满意度"), lambda js, p: str(p.get_rating_display()) if p.rating else ""),
    (_("最近答复"), lambda js, p: _latest_reply(p).text if _latest_reply(p) else ""),
    (_("现场督办次数"), lambda js, p: len(js.visit_list)),
    (_("最近现场督办"), lambda js, p: _last_visit(js)),
    (_("督办结论"), lambda js, p: js.conclusion),
]


def joint_supervision_workbook(supervisions):
    """The 联合督办台账: ``supervisions`` from :func:`proposals.selectors.joint_supervision_detail`."""
    return workbook_bytes(
        _("联合督办台账"),
        [title for title, _get in JOINT_SUPERVISION_COLUMNS],
        (
            [get(supervision, proposal) for _title, get in JOINT_SUPERVISION_COLUMNS]
            for supervision in supervisions
            for proposal in supervision.proposal_list
        ),
    )
