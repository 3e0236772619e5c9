from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from hotline import urls as hotline_urls
from liaison import api_docs, reauth, views
from stations import urls as stations_urls

admin.site.site_header = _("人大代表联络工作平台 · 管理后台")
admin.site.site_title = _("人大代表联络工作平台")
admin.site.index_title = _("后台管理")

api_v1 = [
    path("", include("liaison.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("deputies.api")),
    path("", include("activities.api")),
    path("", include("stations.api")),
    path("", include("hotline.urls")),
    path("", include("proposals.api")),
    path("", include("votes.api")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/otp/", views.otp_verify, name="otp-verify"),
    path("accounts/reauth/", reauth.reauth, name="reauth"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("deputies/", include("deputies.urls")),
    path("activities/", include("activities.urls")),
    # The 代表专线 page of the hotline app keeps its place and name (stations:deputy_line).
    path("stations/", include((stations_urls.urlpatterns + hotline_urls.station_pages, "stations"))),
    path("proposals/", include("proposals.urls")),
    path("votes/", include("votes.urls")),
    path("notifications/", include("liaison.notifications.urls")),
    path("dashboard/", include("reports.urls_dashboard")),
    path("public/", include("reports.urls_public")),
    path("api/v1/", include(api_v1)),
    path("open311/v2/", include("hotline.open311_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs.swagger_ui, name="api-docs"),
    path("api/redoc/", api_docs.redoc, name="api-redoc"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
