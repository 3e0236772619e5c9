import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from liaison.errors import ApplicationError
from liaison.models import User
from liaison.notifications.services import user_language_set


class IdleSessionTimeoutMiddleware:
    """Log a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and ``SESSION_ABSOLUTE_TIMEOUT``
    seconds after the session began however active it is (the cookie's own age is renewed on every save)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity")
            started = request.session.setdefault("session_started", now)
            too_old = now - started > getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", settings.SESSION_COOKIE_AGE)
            if too_old or (last is not None and now - last > settings.SESSION_IDLE_TIMEOUT):
                logout(request)
                if request.path.startswith("/api/"):
                    message = _("登录已过期，请重新登录。")
                    return JsonResponse({"code": "session_expired", "message": str(message), "fields": {}}, status=401)
                login_url = f"{reverse('login')}?next={request.path}&expired=1"
                if request.headers.get("HX-Request"):  # htmx: the whole page goes to the login, not a fragment
                    return HttpResponse(status=204, headers={"HX-Redirect": login_url})
                return redirect(login_url)
            # a session write at most once a minute; the header's unread-count poll is not the user's activity
            if (last is None or now - last >= 60) and request.path not in self._passive_paths():
                request.session["last_activity"] = now
            if getattr(settings, "STAFF_REQUIRE_OTP", False) and self._needs_otp(request):
                if request.path.startswith("/api/"):  # an API client gets JSON it can act on, not the OTP page
                    message = _("工作人员须先完成二次验证（动态口令），才能使用接口。")
                    return JsonResponse({"code": "otp_required", "message": str(message), "fields": {}}, status=403)
                return redirect(f"{reverse('otp-verify')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _passive_paths():
        return (reverse("notifications:badge"),)

    @staticmethod
    def _needs_otp(request):
        user = request.user
        if not (user.is_superuser or user.role == User.Role.STAFF):
            return False
        if user.is_verified():
            return False
        exempt = (reverse("otp-verify"), reverse("logout"), settings.STATIC_URL, "/i18n/")
        return not request.path.startswith(exempt)


class ApplicationErrorMiddleware:
    """Turn a service's ApplicationError raised in a page view into a page in the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            template = (
                "components/error_fragment.html" if getattr(request, "htmx", False) else "errors/application_error.html"
            )
            return render(request, template, {"error": exception}, status=exception.status_code)
        return None


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is too big with 413, before anything reads it.

    Form and JSON bodies may be at most ``DATA_UPLOAD_MAX_MEMORY_SIZE``; multipart uploads (photos, attachments,
    roster files) at most ``REQUEST_BODY_MAX_BYTES``. Django alone answers 400 only once a view touches the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.REQUEST_BODY_MAX_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            message = _("提交的内容太大。")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "message": str(message), "fields": {}}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class UserLanguageMiddleware:
    """Pages of a signed-in user are in ``User.language``; the header's language switch (Django's ``set_language``)
    also saves the choice on the user. Anonymous visitors (citizens) keep Django's cookie.

    Sits right after AuthenticationMiddleware (LocaleMiddleware, earlier, has read the cookie / Accept-Language).
    On the way out the cookie is set to the user's language, so the login page, and the pages after logging out,
    stay in the language the user chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self._language_of(getattr(request, "user", None))
        if language:
            if language != translation.get_language():
                translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        user = getattr(request, "user", None)  # login / logout replace it; an API client is no User
        language = self._language_of(user)
        if not language:
            return response
        if request.method == "POST" and request.path == reverse("set_language") and response.status_code in (302, 204):
            chosen = request.POST.get("language")
            if chosen in {code for code, _name in settings.LANGUAGES}:
                user_language_set(actor=user, language=chosen)
        elif request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _language_of(user):
        """A signed-in person's language; nothing for anonymous visitors and API principals (e.g. the 12345
        client, whose ``request.user`` DRF replaces with a principal that has no language)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return ""
        return getattr(user, "language", "") or ""
