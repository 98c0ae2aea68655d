"""Adaptations routes, under /adaptations/."""

from django.urls import path

from homeward.adaptations import means_test_views, tasks_views, views, works_views

app_name = "adaptations"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/<id:person_id>/", views.new_case, name="new"),
    path("fast-track/<id:blocker_id>/", views.fast_track, name="fast_track"),
    path("tables/", means_test_views.tables, name="tables"),
    path("cases/<id:adaptation_id>/", views.case_detail, name="case"),
    path("cases/<id:adaptation_id>/tasks/", tasks_views.add_task, name="add_task"),
    path("cases/<id:adaptation_id>/tasks/done/", tasks_views.task_done, name="task_done"),
    path("cases/<id:adaptation_id>/complexity/", tasks_views.complexity, name="complexity"),
    path("cases/<id:adaptation_id>/works/", works_views.schedule, name="works"),
    path("cases/<id:adaptation_id>/works/items/", works_views.add_item, name="works_item"),
    path("cases/<id:adaptation_id>/works/quotes/", works_views.add_quote, name="works_quote"),
    path("cases/<id:adaptation_id>/works/choose/", works_views.choose, name="works_choose"),
    path("cases/<id:adaptation_id>/works/variations/", works_views.add_variation, name="works_variation"),
    path("cases/<id:adaptation_id>/resources/", means_test_views.resources, name="resources"),
    path(
        "cases/<id:adaptation_id>/resources/result/",
        means_test_views.resources_result,
        name="resources_result",
    ),
    path("cases/<id:adaptation_id>/move/", views.move, name="move"),
    path("cases/<id:adaptation_id>/dates/", views.record_dates, name="dates"),
    path("cases/<id:adaptation_id>/grant/", views.record_grant, name="grant"),
    path("cases/<id:adaptation_id>/assign/", views.assign, name="assign"),
    path("cases/<id:adaptation_id>/participants/", views.add_participant, name="add_participant"),
]

from homeward.adaptations import healthy_views, warmth_views  # noqa: E402

urlpatterns += [
    path("visits/", healthy_views.visit_list, name="visits"),
    path("visits/new/<id:person_id>/", healthy_views.new_visit, name="new_visit"),
    path("visits/<id:visit_id>/", healthy_views.visit_detail, name="visit"),
    path("visits/<id:visit_id>/hazards/", healthy_views.add_hazard, name="visit_hazard"),
    path("visits/<id:visit_id>/hazards/removed/", healthy_views.hazard_removed, name="visit_hazard_removed"),
    path("visits/<id:visit_id>/photos/", healthy_views.add_photo, name="visit_photo"),
    path("visits/<id:visit_id>/photos/<id:photo_id>/", healthy_views.photo, name="visit_photo_file"),
    path("visits/<id:visit_id>/jobs/", healthy_views.add_job, name="visit_job"),
    path("visits/<id:visit_id>/jobs/done/", healthy_views.job_done, name="visit_job_done"),
    path("visits/<id:visit_id>/falls/", healthy_views.falls, name="visit_falls"),
    path("visits/<id:visit_id>/warm-homes/", warmth_views.warm_homes, name="visit_warm_homes"),
    path("damp/", healthy_views.awaab_list, name="awaab_list"),
    path("damp/new/<id:person_id>/", healthy_views.new_report, name="new_awaab"),
    path("damp/<id:report_id>/", healthy_views.awaab_detail, name="awaab"),
    path("damp/<id:report_id>/steps/", healthy_views.awaab_step, name="awaab_step"),
    path("damp/<id:report_id>/evidence/", healthy_views.awaab_evidence, name="awaab_evidence"),
]
