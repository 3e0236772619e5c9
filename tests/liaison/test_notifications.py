import pytest
from django.urls import reverse

from liaison.models import User
from liaison.notifications.models import Notification, NotificationPreference
from liaison.notifications.selectors import channels_for
from liaison.notifications.services import notify
from liaison.reminders.models import ReminderSetting
from tests.factories import UserFactory


def _deliveries(callbacks):
    """The on-commit callbacks that send something (the badge count's cache invalidation is not a channel)."""
    return [c for c in callbacks if "forget_unread_count" not in c.__qualname__]


pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(client):
    user = UserFactory(username="deputy_x", role=User.Role.DEPUTY, mobile="13900139000", email="d@example.org")
    client.force_login(user)
    return user


def test_notify_renders_in_chinese_and_reaches_the_inbox(deputy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        n = notify(deputy, "follow_up_due", {"title": "走访选民", "days": 0}, link="/deputies/portal/")
    assert (n.title, n.body) == ("督办事项提醒：走访选民", "「走访选民」今天到期，请及时办结。")
    assert _deliveries(callbacks) == []  # inbox only: no email / SMS chosen


def test_notify_queues_the_channels_the_user_chose(deputy, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=deputy, sms_enabled=True)
    with django_capture_on_commit_callbacks() as callbacks:
        notify(deputy, "follow_up_due", {"title": "走访选民", "days": 0})
    assert len(_deliveries(callbacks)) == 1


def test_channels_need_choice_permission_and_address(deputy):
    pref = NotificationPreference.objects.create(user=deputy, sms_enabled=True, email_enabled=True)
    assert channels_for(user=deputy, preference=pref) == ["inbox", "email", "sms"]
    ReminderSetting.objects.create(key="NOTIFICATION_ALLOWED_CHANNELS", value=["inbox"])
    assert channels_for(user=deputy, preference=pref) == ["inbox"]
    deputy.mobile = ""
    assert channels_for(user=deputy, preference=pref, allowed=["inbox", "sms"]) == ["inbox"]


def test_inbox_lists_own_messages_only(client, deputy):
    Notification.objects.create(recipient=deputy, title="我的消息")
    Notification.objects.create(recipient=UserFactory(), title="别人的消息")
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "我的消息" in html and "别人的消息" not in html
    assert response.context["unread"] == 1


def test_mark_read_by_htmx_returns_the_item_and_the_new_badge(client, deputy):
    n = Notification.objects.create(recipient=deputy, title="待读")
    response = client.post(reverse("notifications:mark-read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-read="1"' in html and 'hx-swap-oob="true"' in html and ">0</span>" in html
    n.refresh_from_db()
    assert n.read_at is not None


def test_cannot_mark_someone_elses_message(client, deputy):
    other = Notification.objects.create(recipient=UserFactory(), title="别人的")
    response = client.post(reverse("notifications:mark-read", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read(client, deputy):
    Notification.objects.bulk_create(Notification(recipient=deputy, title=f"消息{i}") for i in range(3))
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "已将 3 条消息标为已读。" in response.content.decode()
    assert not Notification.objects.filter(recipient=deputy, read_at__isnull=True).exists()


def test_preferences_page_saves_channels_and_language(client, deputy):
    response = client.post(reverse("notifications:preferences"), {"language": "en", "sms_enabled": "on"}, follow=True)
    assert response.status_code == 200
    pref = NotificationPreference.objects.get(user=deputy)
    assert (pref.sms_enabled, pref.email_enabled) == (True, False)
    deputy.refresh_from_db()
    assert deputy.language == "en"
    assert "Notification settings saved." in response.content.decode()


def test_preferences_page_cannot_enable_a_channel_staff_switched_off(client, deputy):
    ReminderSetting.objects.create(key="NOTIFICATION_ALLOWED_CHANNELS", value=["inbox", "email"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "管理员暂未开放短信提醒。" in page
    client.post(reverse("notifications:preferences"), {"language": "zh-hans", "sms_enabled": "on"})
    assert NotificationPreference.objects.get(user=deputy).sms_enabled is False


def test_unread_count_context_is_lazy_and_correct(client, deputy):
    Notification.objects.create(recipient=deputy, title="一")
    response = client.get(reverse("notifications:preferences"))
    assert int(str(response.context["unread_notifications"])) == 1


@pytest.mark.parametrize("rows", [5, 200])
def test_inbox_query_count_does_not_grow_with_messages(client, deputy, django_assert_max_num_queries, rows):
    Notification.objects.bulk_create(Notification(recipient=deputy, title=f"消息{i}") for i in range(rows))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("notifications:inbox")).status_code == 200
