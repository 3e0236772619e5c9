"""Create or update the periodic tasks in django-celery-beat's tables. Safe to run again at every start.

Every task the code defines with ``periodic=True`` (``@shared_task(..., periodic=True)``) has one row here;
tests/deploy/test_schedules.py fails when one is missing. A re-seed keeps the ``enabled`` choice staff made in the
admin: it only sets the task, the schedule and the description.
"""

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

TIME_ZONE = "Asia/Shanghai"

# (name, task, schedule, description in plain words). The sweep stays quiet before REMINDER_SEND_FROM_HOUR
# (08:00 Asia/Shanghai), so the first sweep of the day, at 08:00, sends the day's reminders.
SCHEDULES = [
    ("提醒：扫描到期事项", "liaison.tasks.sweep_reminders", {"every": 10, "period": "minutes"}, "every 10 minutes"),
    (
        "提醒：重新排队中断的发送",
        "liaison.tasks.requeue_stale_reminders",
        {"every": 10, "period": "minutes"},
        "every 10 minutes",
    ),
    ("任务：重发未入队的任务", "liaison.outbox.sweep_outbox", {"every": 1, "period": "minutes"}, "every minute"),
    (
        "数据看板：刷新缓存",
        "liaison.figures.refresh_dashboards",
        {"every": 10, "period": "minutes"},
        "every 10 minutes",
    ),
    (
        "12345：补发待发送工单",
        "stations.hotline.tasks.send_pending_work_orders",
        {"every": 5, "period": "minutes"},
        "every 5 minutes",
    ),
    (
        "12345：清理过期随机串与幂等记录",
        "stations.hotline.tasks.purge_hotline_replay_data",
        {"every": 1, "period": "hours"},
        "every hour",
    ),
    (
        "意见：清除过期个人信息",
        "stations.tasks.erase_expired_opinion_personal_data",
        {"minute": "30", "hour": "3"},
        "every day at 03:30 Asia/Shanghai",
    ),
]


class Command(BaseCommand):
    help = "Seed the beat schedule (django-celery-beat DatabaseScheduler); idempotent, keeps staff's enabled flag."

    def handle(self, *args, **options):
        for name, task, spec, words in SCHEDULES:
            fields = {"task": task, "description": words, "interval": None, "crontab": None}
            if "every" in spec:
                fields["interval"], _ = IntervalSchedule.objects.get_or_create(**spec)
            else:
                fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
                    minute=spec["minute"],
                    hour=spec["hour"],
                    day_of_week="*",
                    day_of_month="*",
                    month_of_year="*",
                    timezone=TIME_ZONE,
                )
            row, created = PeriodicTask.objects.get_or_create(name=name, defaults={**fields, "enabled": True})
            if not created and any(getattr(row, key) != value for key, value in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                row.save()  # keeps row.enabled as staff left it
            self.stdout.write(f"{'created' if created else 'updated'}: {name} ({words})")
