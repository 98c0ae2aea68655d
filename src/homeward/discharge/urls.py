"""Hospital to Home routes, under /discharge/."""

from django.urls import path

from homeward.discharge import views, views_care, views_sitrep

app_name = "discharge"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("sitrep/", views_sitrep.sitrep, name="sitrep"),
    path("sitrep.csv", views_sitrep.sitrep_export_csv, name="sitrep_csv"),
    path("sitrep.xlsx", views_sitrep.sitrep_export_xlsx, name="sitrep_xlsx"),
    path("cases/<id:case_id>/delay-reason/", views_sitrep.set_delay_reason, name="set_delay_reason"),
    path("refer/<id:person_id>/", views.refer, name="refer"),
    path("a-and-e/", views_care.frequent_attenders, name="frequent_attenders"),
    path("cases/<id:case_id>/assessments/", views_care.submit_assessment, name="submit_assessment"),
    path(
        "cases/<id:case_id>/assessments/<id:assessment_id>/decide/",
        views_care.decide_assessment,
        name="decide_assessment",
    ),
    path(
        "cases/<id:case_id>/discharge-to-assess/", views_care.discharge_to_assess, name="discharge_to_assess"
    ),
    path("cases/<id:case_id>/", views.case_detail, name="case"),
    path("cases/<id:case_id>/screen/", views.screen, name="screen"),
    path("cases/<id:case_id>/blockers/", views.raise_blocker, name="raise_blocker"),
    path(
        "cases/<id:case_id>/blockers/<id:blocker_id>/resolve/",
        views.resolve_blocker,
        name="resolve_blocker",
    ),
    path("cases/<id:case_id>/move/", views.transition, name="transition"),
    path("cases/<id:case_id>/move/confirm/", views.confirm_move, name="confirm_move"),
    path("cases/<id:case_id>/correct-ending/", views.correct_ending, name="correct_ending"),
    path("cases/<id:case_id>/assign/", views.assign, name="assign"),
    path("cases/<id:case_id>/follow-ups/<id:task_id>/done/", views.follow_up_done, name="follow_up_done"),
]
