from django.urls import path

from liaison.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<id:pk>/read/", views.mark_read, name="mark-read"),
    path("read-all/", views.mark_all_read, name="mark-all-read"),
    path("settings/", views.preferences, name="preferences"),
    path("badge/", views.badge, name="badge"),
    path("jobs/start/<str:kind>/", views.job_start, name="job-start"),
    path("jobs/<slug:key>/", views.job_page, name="job"),
    path("jobs/<slug:key>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<slug:key>/download/", views.job_download, name="job-download"),
]
