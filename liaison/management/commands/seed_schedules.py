"""Create or update the periodic tasks in django-celery-beat's tables. Safe to run again at every start."""

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
]


class Command(BaseCommand):
    help = "Seed the beat schedule (django-celery-beat DatabaseScheduler); idempotent."

    def handle(self, *args, **options):
        for name, task, spec, words in SCHEDULES:
            defaults = {"task": task, "description": words, "enabled": True, "interval": None, "crontab": None}
            if "every" in spec:
                defaults["interval"], _ = IntervalSchedule.objects.get_or_create(**spec)
            else:
                defaults["crontab"], _ = CrontabSchedule.objects.get_or_create(
                    minute=spec["minute"],
                    hour=spec["hour"],
                    day_of_week="*",
                    day_of_month="*",
                    month_of_year="*",
                    timezone=TIME_ZONE,
                )
            _task, created = PeriodicTask.objects.update_or_create(name=name, defaults=defaults)
            self.stdout.write(f"{'created' if created else 'updated'}: {name} ({words})")
