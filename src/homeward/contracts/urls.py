"""Outcome contract routes, under /contracts/."""

from django.urls import path

from homeward.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("new/", views.contract_new, name="new"),
    path("<int:contract_id>/", views.contract_detail, name="detail"),
    path("<int:contract_id>/lines/", views.add_line, name="add_line"),
    path("<int:contract_id>/claims/", views.generate, name="generate"),
    path("<int:contract_id>/claims/<int:claim_id>/review/", views.review, name="review"),
    path("<int:contract_id>/claims.csv", views.claims_csv, name="csv"),
    path("<int:contract_id>/claims.xlsx", views.claims_xlsx, name="xlsx"),
]
