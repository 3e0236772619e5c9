"""The notifications' data: inbox messages and each user's channel choices.

The tables keep the names they had in the liaison app (migrations 0011 of liaison, 0001 here)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.models import TimeStampedModel, User


class NotificationPreference(TimeStampedModel):
    """The channels a user wants besides the inbox. Messages are written in ``User.language``."""

    user = models.OneToOneField(
        User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("接收邮件"), default=False)
    sms_enabled = models.BooleanField(_("接收短信"), default=False)

    class Meta:
        db_table = "liaison_notificationpreference"  # the table it had as liaison.notificationpreference (ADR 0015)
        ordering = ["user_id"]
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    """A message in a user's inbox. A reminder's message is written in the same transaction that marks it sent."""

    recipient = models.ForeignKey(
        User, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    template_key = models.CharField(_("消息模板"), max_length=64, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    reminder = models.OneToOneField(
        "reminders.Reminder",
        verbose_name=_("提醒记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification",
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        db_table = "liaison_notification"  # the table it had as liaison.notification (ADR 0015)
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None
