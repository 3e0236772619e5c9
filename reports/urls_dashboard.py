from django.urls import path

from reports import views_dashboard as views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export/<slug:key>.xlsx", views.export_table, name="export"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf_view, name="report_pdf"),
]
