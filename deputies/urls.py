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
    path("portal/duties/", views.my_duties, name="my_duties"),
    path("portal/duties/new/", views.duty_register, name="duty_register"),
    path("portal/duties/<id:pk>/edit/", views.duty_resubmit, name="duty_resubmit"),
    path("duty-records/review/", views.duty_review_queue, name="duty_review_queue"),
    path("duty-records/<id:pk>/review/", views.duty_review, name="duty_review"),
    path("duty-records/<id:pk>/approve/", views.duty_review_approve, name="duty_review_approve"),
    path("duty-records/<id:pk>/return/", views.duty_review_return, name="duty_review_return"),
    path("ranking/", views.ranking_index, name="ranking_index"),
    path("ranking/<id:congress_id>/", views.ranking, name="ranking"),
    path("ranking/<id:congress_id>/export/", views.ranking_export, name="ranking_export"),
]
