from django.urls import path

from reports import views_public as views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("deputies/", views.deputy_list, name="deputy_list"),
    path("deputies/<id:pk>/", views.deputy_profile, name="deputy_profile"),
    path("deputies/preview/", views.deputy_file_preview, name="deputy_file_preview"),
    path("stories/", views.story_list, name="story_list"),
    path("stories/<id:pk>/", views.story_detail, name="story_detail"),
]
