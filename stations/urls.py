from django.urls import path

from stations import views

app_name = "stations"

urlpatterns = [
    # Public (no login): directory, QR targets, tracking.
    path("directory/", views.directory, name="directory"),
    path("s/<id:pk>/", views.public_station, name="public_station"),
    path("s/<id:pk>/opinion/", views.opinion_for_station, name="opinion_station"),
    path("d/<id:pk>/opinion/", views.opinion_for_deputy, name="opinion_deputy"),
    path("opinion/thanks/", views.opinion_thanks, name="opinion_thanks"),
    path("track/", views.track, name="track"),
    # QR codes and posters.
    path("manage/<id:pk>/qr.<str:fmt>", views.station_qr, name="station_qr"),
    path("manage/<id:pk>/poster.pdf", views.station_poster, name="station_poster"),
    path("deputy/<id:pk>/qr.<str:fmt>", views.deputy_qr, name="deputy_qr"),
    # Working pages.
    path("", views.station_list, name="station_list"),
    path("manage/<id:pk>/", views.station_manage, name="station_manage"),
    path("manage/<id:pk>/reception/new/", views.reception_schedule, name="reception_schedule"),
    path("receptions/", views.reception_list, name="reception_list"),
    path("receptions/<id:pk>/", views.reception_detail, name="reception_detail"),
    path("opinions/", views.opinion_list, name="opinion_list"),
    path("opinions/export.csv", views.opinion_export, name="opinion_export"),
    path("opinions/new/", views.opinion_record, name="opinion_record"),
    path("opinions/<id:pk>/", views.opinion_detail, name="opinion_detail"),
    path("opinions/<id:pk>/call-back/", views.opinion_call_back, name="opinion_call_back"),
    path("figures/", views.figures, name="figures"),
]
