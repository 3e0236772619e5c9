"""Demo activities of 株洲市第十六届人民代表大会: one closed with sign-ins (and so duty records), one held today and
one planned, each for the 天元区 deputy group. Idempotent: an activity with the same title is not planned twice."""

import datetime

from django.utils import timezone

from activities import services
from activities.models import Activity
from deputies.models import Congress, DeputyGroup
from liaison.models import User

CONGRESS = "株洲市第十六届人民代表大会"
GROUP = "天元区代表小组"

# title, kind, place, days from today, start hour, agenda, outcome
ACTIVITIES = [
    (
        "视察城区老旧小区改造",
        Activity.Kind.INSPECTION,
        "天元区嵩山路街道泰山社区",
        -20,
        9,
        "一、听取区住建局情况汇报；二、实地察看泰山社区改造现场；三、座谈交流",
        "closed",
    ),
    (
        "屋场恳谈会：马家河村道路硬化",
        Activity.Kind.COURTYARD_FORUM,
        "天元区马家河街道马家河村文化广场",
        0,
        None,
        "一、村民代表反映道路问题；二、代表与村民面对面恳谈；三、梳理意见建议",
        "held",
    ),
    (
        "代表小组活动：学习贯彻代表法",
        Activity.Kind.GROUP,
        "天元区人大代表活动中心",
        7,
        14,
        "一、集中学习代表法修正案；二、交流履职心得",
        "planned",
    ),
]


def load(stdout):
    congress = Congress.objects.filter(name=CONGRESS).first()
    group = DeputyGroup.objects.filter(congress=congress, name=GROUP).first() if congress else None
    staff = User.objects.filter(username="staff_zz").first()
    if congress is None or group is None or staff is None:
        return
    now = timezone.localtime()
    made = 0
    for title, kind, place, days, hour, agenda, outcome in ACTIVITIES:
        if Activity.objects.filter(congress=congress, title=title).exists():
            continue
        if hour is None:  # today's activity: started an hour ago, so the sign-in is open
            starts_at = now - datetime.timedelta(hours=1)
        else:
            starts_at = (now + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
        activity = services.activity_plan(
            actor=staff,
            congress=congress,
            kind=kind,
            title=title,
            place=place,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=3),
            agenda=agenda,
            group=group,
            invite_by=services.InviteBy.GROUP,
        )
        made += 1
        if outcome == "planned":
            continue
        seats = [invitation.membership for invitation in activity.invitations.select_related("membership")]
        for seat in seats[: max(1, len(seats) - 1)]:  # one deputy of the group was excused
            services.attendance_record(actor=staff, activity=activity, membership=seat)
        services.activity_mark_held(actor=staff, activity=activity)
        if outcome == "closed":
            services.activity_close(actor=staff, activity=activity)
    stdout.write(f"代表活动：新增 {made} 项")
