"""The reminders' data: staff-adjustable reminder settings, follow-up items with a deadline (督办事项, the generic
reminder rule's data) and the reminder log whose unique key makes every reminder go out once.

The tables keep the names they had in the liaison app (migrations 0011 of liaison, 0001 here)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.models import TimeStampedModel, User


class ReminderSetting(TimeStampedModel):
    """A staff override of one reminder setting (offsets, allowed channels); absent keys use settings.py."""

    key = models.CharField(_("设置项"), max_length=64, unique=True)
    value = models.JSONField(_("取值"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        db_table = "liaison_remindersetting"  # the table it had as liaison.remindersetting (ADR 0015)
        ordering = ["key"]
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self):
        return self.key


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class FollowUp(TimeStampedModel):
    """督办事项: something a person must finish by a date; reminded at the generic offsets while open."""

    title = models.CharField(_("事项"), max_length=200)
    assignee = models.ForeignKey(User, verbose_name=_("责任人"), on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("截止日期"), db_index=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        db_table = "liaison_followup"  # the table it had as liaison.followup (ADR 0015)
        ordering = ["due_on", "id"]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        indexes = [
            models.Index(fields=["due_on"], condition=Q(closed_at__isnull=True), name="followup_open_due_idx"),
        ]

    def __str__(self):
        return self.title


class Reminder(TimeStampedModel):
    """One reminder to one person about one object for one rule and due date. Inserting this row is the claim:
    the unique key lets only one sweep win, and only the winner's send task delivers it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    rule = models.CharField(_("提醒规则"), max_length=64, db_index=True)
    due_on = models.DateField(_("应提醒日期"), db_index=True)
    recipient = models.ForeignKey(User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="reminders")
    template_key = models.CharField(_("消息模板"), max_length=64)
    context = models.JSONField(_("消息参数"), default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    channels_done = models.JSONField(_("已送达渠道"), default=list, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        db_table = "liaison_reminder"  # the table it had as liaison.reminder (ADR 0015)
        ordering = ["-due_on", "-id"]
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "rule", "due_on", "recipient"], name="reminder_once_per_key"
            ),
        ]
        indexes = [models.Index(fields=["state", "updated_at"], name="reminder_state_updated_idx")]

    def __str__(self):
        return f"{self.rule} {self.object_type}#{self.object_id} → {self.recipient_id} @ {self.due_on}"
