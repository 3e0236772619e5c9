import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse

from liaison.errors import ApplicationError


class IdleSessionTimeoutMiddleware:
    """Log a user out after ``SESSION_IDLE_TIMEOUT`` seconds without a request (the absolute limit is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('login')}?next={request.path}&expired=1")
            if last is None or now - last >= 60:  # a session write at most once a minute
                request.session["last_activity"] = now
            if getattr(settings, "STAFF_REQUIRE_OTP", False) and self._needs_otp(request):
                return redirect(f"{reverse('otp-verify')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _needs_otp(request):
        user = request.user
        if not (user.is_superuser or user.role == "staff"):
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
