from django.urls import path

from votes import views

app_name = "votes"

urlpatterns = [
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<id:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<id:pk>/checkin/", views.checkin, name="checkin"),
    path("sessions/<id:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("sessions/<id:pk>/<slug:action>/", views.session_action, name="session_action"),
    path("ballots/", views.my_ballots, name="my_ballots"),
    path("ballots/<id:pk>/", views.ballot, name="ballot"),
    path("results/", views.result_list, name="result_list"),
    path("results/<id:pk>/", views.result_detail, name="result_detail"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<id:pk>/", views.project_public, name="project_public"),
    path("projects/<id:pk>/report/", views.progress_report, name="progress_report"),
    path("projects/<id:pk>/rate/", views.rate, name="rate"),
    path("projects/<id:pk>/inspect/", views.inspect, name="inspect"),
]
