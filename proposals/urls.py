from django.urls import path

from proposals import views, views_supervision

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.draft_new, name="new"),
    path("unit/", views.workbench, name="workbench"),
    path("review/", views.review_queue, name="review"),
    path("assign/", views.assign_batch, name="assign"),
    path("key/", views.key_supervision_list, name="key"),
    path("ledger/", views.ledger, name="ledger"),
    path("overdue/", views.overdue, name="overdue"),
    path("unrated/", views.unrated, name="unrated"),
    path("figures/", views.figures, name="figures"),
    path("export.xlsx", views.export_ledger, name="export"),
    path("supervision/", views_supervision.supervision_list, name="supervision_list"),
    path("supervision/new/", views_supervision.supervision_new, name="supervision_new"),
    path("supervision/export.xlsx", views_supervision.supervision_export, name="supervision_export"),
    path("supervision/<id:pk>/", views_supervision.supervision_detail, name="supervision_detail"),
    path("supervision/<id:pk>/add/", views_supervision.supervision_add, name="supervision_add"),
    path("supervision/<id:pk>/visit/", views_supervision.supervision_visit, name="supervision_visit"),
    path("supervision/<id:pk>/close/", views_supervision.supervision_close, name="supervision_close"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.draft_edit, name="edit"),
    path("<id:pk>/act/<slug:action>/", views.act, name="act"),
]
