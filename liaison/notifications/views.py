from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.notifications import selectors, services
from liaison.notifications.forms import PreferenceForm


@login_required
def inbox(request):
    only_unread = request.GET.get("unread") == "1"
    qs = selectors.notification_list(user=request.user)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "only_unread": only_unread,
            "unread": selectors.unread_count(user=request.user),
            "title": _("消息中心"),
        },
    )


@login_required
@require_POST
def mark_read(request, pk):
    notification = services.notification_mark_read(actor=request.user, notification_id=pk)
    if request.htmx:
        return render(
            request,
            "notifications/_item_read.html",
            {"n": notification, "unread": selectors.unread_count(user=request.user)},
        )
    if notification.link and request.POST.get("follow") == "1":
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    allowed = selectors.allowed_channels()
    current = selectors.preference_for(user=request.user)
    initial = {
        "language": current.language,
        "email_enabled": current.email_enabled,
        "sms_enabled": current.sms_enabled,
    }
    form = PreferenceForm(request.POST or None, initial=initial, allowed=allowed, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preference_update(actor=request.user, **form.cleaned_data)
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "allowed": allowed, "title": _("通知设置")})
