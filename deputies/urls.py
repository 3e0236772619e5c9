from django.urls import path

from deputies import views

app_name = "deputies"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("roster/", views.roster, name="roster"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("duty-records/", views.duty_records, name="duty_records"),
    path("duty-records/new/", views.duty_record_new, name="duty_record_new"),
    path("duty-records/<id:pk>/attachment/", views.duty_record_attachment, name="duty_record_attachment"),
    path("ranking/", views.ranking_index, name="ranking_index"),
    path("ranking/<id:congress_id>/", views.ranking, name="ranking"),
    path("ranking/<id:congress_id>/export/", views.ranking_export, name="ranking_export"),
]
