"""The one registry of proposal actions, read by the page dispatcher and by the API.

Each :class:`Action` calls exactly one service. The page (``/proposals/<id>/act/<name>/``) reads its posted fields
with ``form``; the API (``/api/v1/proposals/<id>/<api>/``) validates its body with ``serializer`` and maps it with
``from_api``. Both give the service the same keyword arguments, so an action is listed once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from deputies.models import Deputy
from liaison.access import get_visible_or_404
from liaison.converters import parse_date, parse_id
from liaison.errors import ApplicationError
from liaison.scoped import scoped_ids
from proposals import rules, services
from proposals import serializers as s
from proposals.models import Attachment, Proposal


@dataclass(frozen=True)
class Action:
    name: str  # the page's slug; None: API only
    service: Callable  # called as service(actor=..., proposal=..., **kwargs)
    label: str
    form: Callable | None = None  # (request, proposal) -> kwargs of the page; None: no page
    api: str | None = None  # the API's path segment; None: page only
    api_view: str = ""  # the API view's class name and description (the schema's)
    api_doc: str = ""
    serializer: type | None = None  # the API's input serializer
    from_api: Callable | None = None  # validated data -> kwargs (default: the data as they are)
    done: str | None = None  # the page's success message (default 操作已完成。)

    def run(self, *, actor, proposal, **kwargs):
        return self.service(actor=actor, proposal=proposal, **kwargs)

    def page_kwargs(self, request, proposal):
        return self.form(request, proposal) if self.form is not None else {}

    def api_kwargs(self, data):
        return self.from_api(data) if self.from_api is not None else dict(data)


def _post(*names, **renamed):
    """A page form of plain text fields: ``_post("note")`` or ``_post(reason="note")`` (kwarg = posted field)."""

    def read(request, proposal):
        values = {name: request.POST.get(name, "") for name in names}
        values.update({kwarg: request.POST.get(field, "") for kwarg, field in renamed.items()})
        return values

    return read


def _none(request, proposal):
    return {}


def _date(request, name):
    return parse_date(request.POST.get(name), name, required=True)


def _optional_date(request, name):
    return parse_date(request.POST.get(name), name)


def _file(request, name):
    uploaded = request.FILES.get(name)
    if uploaded is None:
        raise ApplicationError(
            _("请选择要上传的文件。"), code="file_missing", extra={"fields": {name: [_("请选择文件")]}}
        )
    return uploaded


def _cosigner_form(request, proposal):
    return {"deputy": get_object_or_404(Deputy, pk=parse_id(request.POST.get("deputy"), "deputy", required=True))}


def _attach_form(request, proposal):
    return {
        "uploaded_file": _file(request, "file"),
        "purpose": request.POST.get("purpose", Attachment.Purpose.PROPOSAL),
    }


def _merge_form(request, proposal):
    pk = parse_id(request.POST.get("into"), "into", required=True)
    return {"into": get_visible_or_404(Proposal.objects, request.user, pk=pk)}


def _assign_form(request, proposal):
    """The lead unit and co-units, resolved through proposals.rules.proposal_units; another id is refused with the
    field named (as the API does), not a 404."""
    units = rules.proposal_units(request.user, {"proposal": proposal})
    lead_id = parse_id(request.POST.get("lead_unit"), "lead_unit", required=True)
    co_ids = [parse_id(pk, "co_units") for pk in request.POST.getlist("co_units") if pk]
    try:
        (lead,) = scoped_ids("lead_unit", _("主办单位"), [lead_id], units)
        co = scoped_ids("co_units", _("协办单位"), co_ids, units)
    except serializers.ValidationError as error:
        fields = {name: [str(m) for m in messages_] for name, messages_ in error.detail.items()}
        raise ApplicationError(next(iter(fields.values()))[0], code="out_of_scope", extra={"fields": fields}) from error
    return {"lead_unit": lead, "co_units": co}


def _extend_form(request, proposal):
    return {"deadline": _date(request, "deadline"), "reason": request.POST.get("reason", "")}


def _contact_form(request, proposal):
    return {
        "stage": request.POST.get("stage"),
        "way": request.POST.get("way"),
        "contacted_on": _date(request, "contacted_on"),
        "summary": request.POST.get("summary", ""),
    }


def _reply_form(request, proposal):
    return {
        "reply_class": request.POST.get("reply_class"),
        "text": request.POST.get("text", ""),
        "promised_on": _optional_date(request, "promised_on"),
    }


ACTIONS = (
    Action(
        "submit",
        services.proposal_submit,
        gettext_lazy("提交"),
        form=_none,
        api="submit",
        api_view="SubmitView",
        api_doc="提交 (lead deputy).",
        done=gettext_lazy("建议已提交。"),
    ),
    Action(
        "withdraw",
        services.proposal_withdraw,
        gettext_lazy("撤回"),
        form=_post(reason="note"),
        api="withdraw",
        api_view="WithdrawView",
        api_doc="撤回 (lead deputy).",
        serializer=s.NoteInput,
        from_api=lambda d: {"reason": d["note"]},
    ),
    Action(
        "cosigner_add",
        services.cosigner_add,
        gettext_lazy("增加附议代表"),
        form=_cosigner_form,
        api="cosigners",
        api_view="CoSignerAddView",
        api_doc="Add a co-signer (lead deputy, draft only).",
        serializer=s.CoSignerInput,
    ),
    Action(
        "cosign_confirm",
        services.cosigner_confirm,
        gettext_lazy("确认附议"),
        form=_none,
        api="cosign-confirm",
        api_view="CoSignConfirmView",
        api_doc="确认附议.",
    ),
    Action("attach", services.attachment_add, gettext_lazy("上传附件"), form=_attach_form),
    Action(
        "accept",
        services.proposal_accept,
        gettext_lazy("立案"),
        form=_post("note"),
        api="accept",
        api_view="AcceptView",
        api_doc="立案.",
        serializer=s.NoteInput,
    ),
    Action(
        "merge",
        services.proposal_merge,
        gettext_lazy("并案"),
        form=_merge_form,
        api="merge",
        api_view="MergeView",
        api_doc="并案 into another proposal.",
        serializer=s.MergeInput,
    ),
    Action(
        "send_back",
        services.proposal_send_back,
        gettext_lazy("退回修改"),
        form=_post("comment"),
        api="send-back",
        api_view="SendBackView",
        api_doc="退回修改 (改).",
        serializer=s.CommentInput,
    ),
    Action(
        "transfer",
        services.proposal_transfer,
        gettext_lazy("转办"),
        form=_post("target", "reason"),
        api="transfer",
        api_view="TransferView",
        api_doc="转办.",
        serializer=s.TransferInput,
    ),
    Action(
        "return",
        services.proposal_return,
        gettext_lazy("不予立案"),
        form=_post("reason"),
        api="return",
        api_view="ReturnView",
        api_doc="不予立案 (退).",
        serializer=s.ReasonInput,
    ),
    Action("assign", services.proposal_assign, gettext_lazy("交办"), form=_assign_form),
    Action(
        "extend",
        services.assignment_extend_deadline,
        gettext_lazy("延期"),
        form=_extend_form,
        api="extend",
        api_view="ExtendView",
        api_doc="延期 (at most six months after assignment).",
        serializer=s.ExtendInput,
    ),
    Action(
        "key",
        services.proposal_mark_key_supervision,
        gettext_lazy("重点督办"),
        form=_post("leaders"),
        api="key-supervision",
        api_view="KeySupervisionView",
        api_doc="重点督办.",
        serializer=s.KeySupervisionInput,
    ),
    Action(
        "contact",
        services.contact_record,
        gettext_lazy("登记沟通联系"),
        form=_contact_form,
        api="contacts",
        api_view="ContactView",
        api_doc="办前/办中/办后 contact (assigned unit).",
        serializer=s.ContactInput,
        done=gettext_lazy("联系记录已保存。"),
    ),
    Action(
        "co_opinion",
        services.co_unit_send_opinion,
        gettext_lazy("协办意见"),
        form=_post("opinion"),
        api="co-opinion",
        api_view="CoOpinionView",
        api_doc="协办意见 to the lead unit.",
        serializer=s.OpinionInput,
    ),
    Action(
        "reply",
        services.proposal_reply,
        gettext_lazy("答复"),
        form=_reply_form,
        api="reply",
        api_view="ReplyView",
        api_doc="答复 with class A/B/C (lead unit).",
        serializer=s.ReplyInput,
        done=gettext_lazy("答复已发送。"),
    ),
    Action(
        "rate",
        services.proposal_rate,
        gettext_lazy("满意度测评"),
        form=_post("rating", "comment"),
        api="rate",
        api_view="RateView",
        api_doc="满意度测评 (lead deputy).",
        serializer=s.RateInput,
        done=gettext_lazy("评价已提交。"),
    ),
    Action(
        "promise_met",
        services.proposal_report_promise_met,
        gettext_lazy("承诺已落实"),
        form=_post("note"),
        api="promise-met",
        api_view="PromiseMetView",
        api_doc="B类承诺已落实 (lead unit).",
        serializer=s.NoteInput,
    ),
    Action(
        "staff_close",
        services.proposal_staff_close,
        gettext_lazy("工委确认办结"),
        form=_post("reason"),
        api="staff-close",
        api_view="StaffCloseView",
        api_doc="工委确认办结 of a B-class proposal.",
        serializer=s.ReasonInput,
    ),
    Action(
        "close",
        services.proposal_close,
        gettext_lazy("办结"),
        form=_post("note"),
        api="close",
        api_view="CloseView",
        api_doc="办结.",
        serializer=s.NoteInput,
    ),
)

PAGE_ACTIONS = {action.name: action for action in ACTIONS if action.form is not None}
API_ACTIONS = {action.api: action for action in ACTIONS if action.api is not None}
