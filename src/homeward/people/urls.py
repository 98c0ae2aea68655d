"""Pages about people: search, the person page, register, edit, consent and subject access."""

from django.urls import path

from homeward.people import merge_views, views

app_name = "people"

urlpatterns = [
    path("", views.people, name="search"),
    path("new/", views.person_new, name="person_new"),
    path("<id:person_id>/", views.person_detail, name="person"),
    path("<id:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<id:person_id>/consent/", views.consent_new, name="consent_new"),
    path(
        "<id:person_id>/corrections/<id:correction_id>/",
        views.correction_decide,
        name="correction_decide",
    ),
    path(
        "<id:person_id>/consent/<id:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<id:person_id>/subject-access.json", views.subject_access, name="subject_access"),
]

urlpatterns += [
    path("<id:person_id>/merge/", merge_views.person_merge, name="person_merge"),
    path("<id:person_id>/merges/<id:merge_id>/split/", merge_views.merge_split, name="merge_split"),
]
