"""One registry of status words and colours, so 待交办 looks and reads the same on every page.

Each app's ``TextChoices`` should take its labels from here (``status.label("proposal", "accepted")``) and every
page shows a status through the badge (``{% status_badge obj.status kind="proposal" %}`` or the
``components/status_badge.html`` include). A tone names a colour pair defined once in ``static/css/portal.css``
(``.status-badge.tone-*``); every pair passes WCAG AA contrast (4.5:1) for small text.

A code can mean different things in different workflows (a proposal ``closed`` is 已办结, a vote ``closed`` is
已结束): pass ``kind`` where the code is ambiguous; without it the label the caller gives wins.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

NEUTRAL = "neutral"
INFO = "info"
PROGRESS = "progress"
WARNING = "warning"
DANGER = "danger"
SUCCESS = "success"
MUTED = "muted"
TONES = (NEUTRAL, INFO, PROGRESS, WARNING, DANGER, SUCCESS, MUTED)

# The words are the models' own TextChoices labels (a test keeps them equal); the tones are decided here, once.
STATUSES = {
    "proposal": {
        "draft": (_("草稿"), MUTED),
        "submitted": (_("待审核"), WARNING),
        "revision": (_("退回修改"), WARNING),
        "accepted": (_("已立案待交办"), INFO),
        "merged": (_("已并案"), MUTED),
        "transferred": (_("已转办"), MUTED),
        "returned": (_("不予立案"), DANGER),
        "withdrawn": (_("已撤回"), MUTED),
        "assigned": (_("办理中"), PROGRESS),
        "replied": (_("已答复待评价"), INFO),
        "rehandling": (_("二次交办"), WARNING),
        "tracking": (_("跟踪督办"), PROGRESS),
        "satisfied": (_("代表满意"), SUCCESS),
        "staff_closed": (_("工委确认办结"), SUCCESS),
        "closed": (_("已办结"), SUCCESS),
        "overdue": (_("逾期"), DANGER),
    },
    "opinion": {
        "untriaged": (_("待处理"), WARNING),
        "handled": (_("已处理"), SUCCESS),
        "proposal": (_("转建议"), INFO),
        "hotline": (_("转12345"), INFO),
        "unfeasible": (_("无法落实"), NEUTRAL),
    },
    "reception": {
        "scheduled": (_("已安排"), INFO),
        "held": (_("已举行"), SUCCESS),
        "cancelled": (_("已取消"), MUTED),
    },
    "work_order": {
        "pending": (_("待发送"), WARNING),
        "sent": (_("已发送"), PROGRESS),
        "failed": (_("发送失败"), DANGER),
        "accepted": (_("已受理"), PROGRESS),
        "closed": (_("已办结"), SUCCESS),
    },
    "vote": {
        "draft": (_("筹备中"), MUTED),
        "open": (_("投票中"), PROGRESS),
        "closed": (_("已计票"), NEUTRAL),
        "published": (_("已公布"), SUCCESS),
    },
    "candidate": {
        "pending": (_("待表决"), NEUTRAL),
        "passed": (_("当选"), SUCCESS),
        "failed": (_("未当选"), MUTED),
        "tie": (_("平票待重新表决"), WARNING),
    },
    "project": {
        "implementing": (_("实施中"), PROGRESS),
        "finished": (_("已完成"), SUCCESS),
    },
    "membership": {
        "in_office": (_("在任"), SUCCESS),
        "terminated": (_("资格终止"), DANGER),
    },
    "duty_record": {
        "submitted": (_("待审核"), WARNING),
        "returned": (_("已退回"), DANGER),
        "approved": (_("已通过"), SUCCESS),
    },
    "activity": {
        "planned": (_("已计划"), INFO),
        "held": (_("已举行"), PROGRESS),
        "closed": (_("已结束"), SUCCESS),
        "cancelled": (_("已取消"), MUTED),
    },
}

# Which model field each workflow's words come from (checked by tests/liaison/test_status_registry.py).
SOURCES = {
    "proposal": "proposals.Proposal.status",
    "opinion": "stations.Opinion.status",
    "reception": "stations.ReceptionDay.status",
    "work_order": "hotline.HotlineWorkOrder.status",
    "vote": "votes.VoteSession.status",
    "candidate": "votes.Candidate.outcome",
    "project": "votes.Project.status",
    "membership": "deputies.Membership.status",
    "duty_record": "deputies.DutyRecord.status",
    "activity": "activities.Activity.status",
}


@dataclass(frozen=True)
class StatusInfo:
    code: str
    label: str
    tone: str


def label(kind, code):
    """The registry's word for ``code`` in workflow ``kind`` (a lazy string, usable in ``TextChoices``)."""
    return STATUSES[kind][code][0]


def choices(kind):
    """``[(code, label), ...]`` for a model field or a filter's ``choices``."""
    return [(code, entry[0]) for code, entry in STATUSES[kind].items()]


def status_info(code, label=None, kind=None):
    """Label and tone for a status.

    With ``kind`` the workflow's entry is used. Without it, a code that is registered once (or with the same word
    everywhere) uses that entry; an ambiguous code keeps the caller's ``label`` and takes the tone of the entry
    whose word matches it. An unknown code shows the caller's label (or the code) in the neutral tone.
    """
    code = "" if code is None else str(code)
    if kind and code in STATUSES.get(kind, {}):
        word, tone = STATUSES[kind][code]
        return StatusInfo(code, word, tone)
    entries = [table[code] for table in STATUSES.values() if code in table]
    words = {str(word) for word, _tone in entries}
    if len(words) == 1:
        word, tone = entries[0]
        return StatusInfo(code, word, tone)
    if entries:
        for word, tone in entries:
            if label is not None and str(word) == str(label):
                return StatusInfo(code, word, tone)
        return StatusInfo(code, label if label is not None else entries[0][0], NEUTRAL)
    return StatusInfo(code, label if label not in (None, "") else code, NEUTRAL)
