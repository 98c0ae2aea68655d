"""Outcome contract routes, under /contracts/."""

from django.urls import path

from homeward.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("<id:contract_id>/", views.contract_detail, name="detail"),
    path("<id:contract_id>/lines/", views.add_line, name="add_line"),
    path("<id:contract_id>/claims/", views.generate, name="generate"),
    path("<id:contract_id>/claims/<id:claim_id>/review/", views.review, name="review"),
    path("<id:contract_id>/claims.csv", views.claims_csv, name="csv"),
    path("<id:contract_id>/claims.xlsx", views.claims_xlsx, name="xlsx"),
]
