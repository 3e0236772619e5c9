from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from liaison import progress
from liaison.jobs import job_kind
from liaison.notifications import selectors, services
from liaison.notifications.forms import PreferenceForm
from liaison.notifications.models import Notification
from liaison.reauth import password_reentry_redirect


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
    messages.success(
        request,
        ngettext("已将 %(count)s 条消息标为已读。", "已将 %(count)s 条消息标为已读。", count) % {"count": count},
    )
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    allowed = selectors.allowed_channels()
    current = selectors.preference_for(user=request.user)
    initial = {
        "language": request.user.language,
        "email_enabled": current.email_enabled,
        "sms_enabled": current.sms_enabled,
    }
    form = PreferenceForm(request.POST or None, initial=initial, allowed=allowed, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.preference_update(actor=request.user, **form.cleaned_data)
        translation.activate(request.user.language)  # the confirmation in the language just chosen
        messages.success(request, _("通知设置已保存。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "allowed": allowed, "title": _("通知设置")})


@require_GET
def badge(request):
    """The unread count in the header, fetched again every minute and when a background job finishes (htmx).
    Signed out, it answers 204 (nothing to swap) rather than a login page that htmx would put in the header."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    unread = selectors.unread_count(user=request.user)
    return render(request, "notifications/_nav_badge.html", {"unread_notifications": unread})


@login_required
@require_POST
def job_start(request, kind):
    """Start a background job of ``kind`` with the page's filters (POST ``query``) and show its progress page."""
    spec = job_kind(kind)
    if not spec.allowed(request.user):
        raise Http404
    if spec.needs_password:
        again = password_reentry_redirect(request)
        if again is not None:
            return again
    job = progress.job_start(user=request.user, kind=kind, params=request.POST.get("query", "")[:2000])
    return redirect("notifications:job", key=job.key)


def _expired_job(request, key):
    """The page for a job whose record is gone (kept a day; a cache flush or restart loses it sooner): 410 with a
    way back, for the user whose inbox links to it. Anyone else gets the 404 of a record that is not theirs."""
    if not Notification.objects.filter(recipient=request.user, link=progress.job_url(key)).exists():
        raise Http404
    return render(request, "notifications/job_expired.html", {"title": _("后台任务")}, status=410)


@login_required
def job_page(request, key):
    if progress.progress_get(key) is None:
        return _expired_job(request, key)
    job = progress.progress_for_owner(request, key)
    return render(
        request,
        "notifications/job.html",
        {
            "progress": job,
            "label": job_kind(job.kind).label if job.kind else job.label,
            "poll_url": reverse("notifications:job-progress", args=[key]),
            "title": _("后台任务"),
        },
    )


@login_required
def job_progress(request, key):
    return progress.progress_response(request, key, poll_url=request.path)


@login_required
def job_download(request, key):
    if progress.progress_get(key) is None:
        return _expired_job(request, key)
    job = progress.progress_for_owner(request, key)
    if not (job.finished and not job.failed and job.file_path and default_storage.exists(job.file_path)):
        raise Http404
    return FileResponse(
        default_storage.open(job.file_path, "rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type or "application/octet-stream",
    )
