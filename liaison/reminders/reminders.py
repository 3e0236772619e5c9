"""The reminders app's own reminder rule: 督办事项 (FollowUp) before their due date.

Its key and object type keep the "liaison." prefix they had before FollowUp moved here: both are stored in
Reminder rows."""

from liaison.reminders import OffsetRule
from liaison.reminders.models import FollowUp


class FollowUpDueRule(OffsetRule):
    key = "liaison.follow_up_due"
    template_key = "follow_up_due"
    label = "督办事项到期"
    offsets_setting = "REMINDER_FOLLOW_UP_OFFSETS_DAYS"
    date_field = "due_on"
    object_type = "liaison.followup"

    def queryset(self):
        return FollowUp.objects.open().only("id", "title", "assignee_id", "due_on", "link")

    def recipients(self, obj):
        return [obj.assignee_id]

    def context(self, obj, offset):
        return {"title": obj.title, "days": offset, "due_on": obj.due_on.isoformat()}

    def link(self, obj):
        return obj.link


rules = [FollowUpDueRule()]
