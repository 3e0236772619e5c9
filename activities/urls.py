from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_plan, name="plan"),
    path("mine/", views.my_activities, name="mine"),
    path("invitations/<id:pk>/respond/", views.invitation_respond, name="respond"),
    path("<id:pk>/", views.activity_detail, name="detail"),
    path("<id:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("<id:pk>/attendance/", views.attendance_record, name="attendance"),
    path("<id:pk>/qr.<str:fmt>", views.activity_qr, name="qr"),
    path("<id:pk>/minutes/", views.activity_minutes, name="minutes"),
    path("<id:pk>/files/", views.activity_file_add, name="file_add"),
    path("<id:pk>/outcomes/", views.activity_outcome_add, name="outcome_add"),
    path("files/<id:pk>/", views.activity_file, name="file"),
    path("<id:pk>/<slug:action>/", views.activity_action, name="action"),
]
