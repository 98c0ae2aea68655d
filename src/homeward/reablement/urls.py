"""Reablement routes, under /reablement/."""

from django.urls import path

from homeward.reablement import views, views_daily, views_discharge, views_stay, views_unit

app_name = "reablement"

urlpatterns = [
    path("", views.units, name="units"),
    path("units/<id:unit_id>/", views.unit_board, name="board"),
    path("beds/<id:bed_id>/", views.bed_status, name="bed"),
    path("new/<id:person_id>/", views.new_referral, name="new"),
    path("referrals/<id:reablement_id>/", views.referral_detail, name="referral"),
    path("referrals/<id:reablement_id>/decide/", views.decide, name="decide"),
    path("referrals/<id:reablement_id>/admit/", views.admit, name="admit"),
    path("stays/<id:stay_id>/", views_stay.stay_detail, name="stay"),
    path("stays/<id:stay_id>/move/", views_stay.move, name="move"),
    path("stays/<id:stay_id>/discharge/", views_stay.discharge, name="discharge"),
    path("stays/<id:stay_id>/goals/", views_stay.add_goal, name="add_goal"),
    path("stays/<id:stay_id>/goals/progress/", views_stay.goal_progress, name="goal_progress"),
    path("stays/<id:stay_id>/reviews/", views_stay.add_review, name="add_review"),
    path("stays/<id:stay_id>/blockers/", views_stay.add_blocker, name="add_blocker"),
    path("stays/<id:stay_id>/blockers/resolve/", views_stay.resolve_blocker, name="resolve_blocker"),
    path("stays/<id:stay_id>/follow-up/", views_stay.follow_up, name="follow_up"),
    path("stays/<id:stay_id>/days/", views_daily.mark_day, name="mark_day"),
    path("stays/<id:stay_id>/notes/", views_daily.add_note, name="add_note"),
    path("stays/<id:stay_id>/scores/", views_daily.add_score, name="add_score"),
    path("stays/<id:stay_id>/actions/", views_daily.add_action, name="add_action"),
    path("stays/<id:stay_id>/actions/done/", views_daily.complete_action, name="complete_action"),
    path("stays/<id:stay_id>/adaptations/", views_discharge.arrange_adaptation, name="arrange_adaptation"),
    path("stays/<id:stay_id>/support/", views_discharge.arrange_support, name="arrange_support"),
    path("stays/<id:stay_id>/transition-plan/", views_discharge.transition_plan, name="transition_plan"),
    path("board/", views_unit.provider_board, name="provider_board"),
    path("units/<id:unit_id>/mdt/", views_unit.mdt_list, name="mdt_list"),
    path("units/<id:unit_id>/what-if/", views_unit.what_if, name="what_if"),
    path("actions/", views_unit.my_actions, name="my_actions"),
    path("measures/", views_unit.measures, name="measures"),
    path("contracts/", views_unit.contracts, name="contracts"),
    path("contracts/new/", views_unit.contract_new, name="contract_new"),
    path("contracts/<id:contract_id>/", views_unit.contract_report, name="contract"),
    path("contracts/<id:contract_id>/edit/", views_unit.contract_edit, name="contract_edit"),
    path("contracts/<id:contract_id>/report.pdf", views_unit.contract_pdf, name="contract_pdf"),
    path("contracts/<id:contract_id>/report.xlsx", views_unit.contract_xlsx, name="contract_xlsx"),
    path("contracts/<id:contract_id>/report.csv", views_unit.contract_csv, name="contract_csv"),
]
