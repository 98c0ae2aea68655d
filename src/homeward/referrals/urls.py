"""Referral routes, under /referrals/."""

from django.urls import path

from homeward.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/<int:person_id>/", views.send, name="send"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/move/", views.move, name="move"),
]
