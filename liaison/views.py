from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.audit import audit
from liaison.forms import LoginForm, StaffOTPTokenForm
from liaison.health import health_response
from liaison.holidays import years_without_schedule
from liaison.models import AuditLog, User
from liaison.reauth import mark_password_entered
from liaison.workbench import cards_for, cards_html, group_cards


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        mark_password_entered(self.request)  # typing the password to log in counts as a recent re-entry
        audit(self.request.user, "auth.login", request=self.request)
        return response

    def form_invalid(self, form):
        audit(
            None,
            "auth.login_failed",
            request=self.request,
            result=AuditLog.Result.FAILED,
            data={"username": form.data.get("username", "")[:150]},
        )
        return super().form_invalid(form)


ROLE_TITLES = {
    User.Role.STAFF: gettext_lazy("联络工作台"),
    User.Role.UNIT: gettext_lazy("承办工作台"),
    User.Role.STATION_MANAGER: gettext_lazy("联络站工作台"),
}


def home(request):
    """The role workbench: every card an app offers for this user, what needs action first.

    A visitor not signed in gets the public portal (stations, deputies, results), which links to the login page.
    Deputies go straight to their portal (deputies:portal), which is their home on a phone.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect("public:index")
    if user.role == User.Role.DEPUTY and not user.is_superuser:
        return redirect("deputies:portal")
    urgent, others = group_cards(cards_for(user))
    scope = user.region or user.organization
    role = User.Role.STAFF if user.is_superuser else user.role
    return render(
        request,
        "liaison/home.html",
        {
            "urgent_cards": urgent,
            "other_cards": others,
            "urgent_cards_html": cards_html(urgent),
            "other_cards_html": cards_html(others),
            "has_cards": bool(urgent or others),
            "role": role,
            "workbench_title": ROLE_TITLES.get(role) or _("工作台"),
            "scope_name": scope.name if scope else "",
            "show_admin": user.is_superuser or (user.role == User.Role.STAFF and user.is_staff),
            "years_without_holidays": years_without_schedule() if role == User.Role.STAFF else [],
        },
    )


@login_required
def otp_verify(request):
    form = StaffOTPTokenForm(request.user, request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        from django_otp import login as otp_login

        otp_login(request, request.user.otp_device)
        audit(request.user, "auth.otp_verified", request=request)
        return redirect(request.GET.get("next") or "home")
    return render(request, "registration/otp_verify.html", {"form": form, "title": _("二次验证")})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon">: send them to the static file."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


def healthz(request):
    """Reached only when HealthCheckMiddleware is not installed (it answers first): the same checks."""
    return health_response()
