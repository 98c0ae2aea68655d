"""Referral routes, under /referrals/."""

from django.urls import path

from homeward.referrals import directory_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("directory/", directory_views.search, name="directory"),
    path("directory/import/", directory_views.import_file, name="directory_import"),
    path("directory/export.json", directory_views.export_file, name="directory_export"),
    path("directory/<uuid:service_id>/", directory_views.service_detail, name="service"),
    path("directory/<uuid:service_id>/settings/", directory_views.service_settings, name="service_settings"),
    path("new/<id:person_id>/", views.send, name="send"),
    path("<id:referral_id>/", views.detail, name="detail"),
    path("<id:referral_id>/move/", views.move, name="move"),
    path("<id:referral_id>/messages/", views.message, name="message"),
]
