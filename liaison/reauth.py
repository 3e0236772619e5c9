"""Password re-entry before sensitive operations (ASVS V4.3 / V2.x step-up): exporting personal data, closing a vote.

``require_recent_password()`` lets a request through when the user typed their password within the last
``settings.REAUTH_MAX_AGE`` seconds (5 minutes by default; a view may pass its own ``max_age``) of this session; otherwise it sends them to 请再次输入密码 and, after a correct password,
back where they were going. A POST (closing a vote) cannot be replayed after a redirect, so the user comes back
to the page they posted from and repeats the click.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.audit import audit
from liaison.models import AuditLog

SESSION_KEY = "reauth_at"
FAILURES_KEY = "reauth_failures"
MAX_FAILURES = 5


def mark_password_entered(request):
    """The user has just typed their password (at login or on the re-entry page)."""
    request.session[SESSION_KEY] = int(time.time())


def reauth_max_age():
    """Seconds a typed password stays good for (``REAUTH_MAX_AGE``), read when asked so settings can change."""
    return int(getattr(settings, "REAUTH_MAX_AGE", 5 * 60))


def password_recently_entered(request, max_age=None):
    stamp = request.session.get(SESSION_KEY)
    limit = reauth_max_age() if max_age is None else max_age
    return stamp is not None and 0 <= time.time() - stamp <= limit


def _safe(request, url):
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return None


def require_recent_password(max_age=None, when=None):
    """Decorate a view so that it needs the password typed again within ``max_age`` seconds
    (``REAUTH_MAX_AGE`` when not given).

    ``when(request, *args, **kwargs)`` narrows it to some calls (e.g. only the ``close`` action of a view).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or (when is not None and not when(request, *args, **kwargs)):
                return view(request, *args, **kwargs)
            return password_reentry_redirect(request, max_age) or view(request, *args, **kwargs)

        return wrapped

    return decorator


def password_reentry_redirect(request, max_age=None):
    """None when the password was typed within ``max_age`` (default ``REAUTH_MAX_AGE``) seconds, else the redirect to 请再次输入密码.

    For views that must check access to an object first (a refusal must stay a 404, not a password prompt)."""
    if password_recently_entered(request, max_age):
        return None
    if request.method == "GET":
        back = request.get_full_path()
    else:
        back = _safe(request, request.META.get("HTTP_REFERER")) or reverse("home")
        messages.info(request, _("为保护数据安全，请再次输入密码后重新操作。"))
    return redirect(f"{reverse('reauth')}?{urlencode({'next': back})}")


class ReauthForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("登录密码"), strip=False, widget=forms.PasswordInput)


@login_required
def reauth(request):
    """请再次输入密码: the step-up page. Five wrong passwords in a row end the session."""
    next_url = _safe(request, request.POST.get("next") or request.GET.get("next")) or reverse("home")
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            mark_password_entered(request)
            request.session.pop(FAILURES_KEY, None)
            audit(request.user, "auth.reauth", request=request)
            return redirect(next_url)
        failures = request.session.get(FAILURES_KEY, 0) + 1
        request.session[FAILURES_KEY] = failures
        audit(request.user, "auth.reauth_failed", request=request, result=AuditLog.Result.FAILED)
        if failures >= MAX_FAILURES:
            logout(request)
            return redirect(reverse("login"))
        form.add_error("password", _("密码不正确。"))
    return render(request, "registration/reauth.html", {"form": form, "next": next_url, "title": _("请再次输入密码")})
