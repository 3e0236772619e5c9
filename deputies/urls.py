from django.urls import path

from deputies import views

app_name = "deputies"

urlpatterns = [
    path("portal/", views.portal, name="portal"),
    path("roster/", views.roster, name="roster"),
    path("ranking/<int:congress_id>/", views.ranking, name="ranking"),
]
