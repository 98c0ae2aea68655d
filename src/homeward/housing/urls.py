"""Supported housing routes, under /housing/."""

from django.urls import path

from homeward.housing import views, views_operations, views_options, views_people_place

app_name = "housing"

urlpatterns = [
    path("", views.schemes, name="schemes"),
    path("caseload/", views.caseload, name="caseload"),
    path("schemes/<id:scheme_id>/", views.scheme, name="scheme"),
    path("schemes/<id:scheme_id>/operations/", views_operations.operations_page, name="operations"),
    path(
        "schemes/<id:scheme_id>/record/<slug:scheme_step>/", views_operations.scheme_step, name="scheme_step"
    ),
    path("schemes/<id:scheme_id>/standards/", views_operations.standards_page, name="standards"),
    path("refer/<id:person_id>/", views.refer, name="refer"),
    path("placements/<id:placement_id>/", views.placement, name="placement"),
    path("placements/<id:placement_id>/<slug:step>/", views.step, name="step"),
    path(
        "people-place/new/<id:person_id>/", views_people_place.new_people_place_case, name="people_place_new"
    ),
    path("people-place/<id:people_place_id>/", views_people_place.people_place_case, name="people_place"),
    path(
        "people-place/<id:people_place_id>/close/",
        views_people_place.close_people_place_case,
        name="people_place_close",
    ),
    path("options/new/<id:person_id>/", views_options.new_conversation, name="options_new"),
    path("options/start/<id:person_id>/", views_options.start_with_link, name="options_start"),
    path("options/<id:conversation_id>/", views_options.conversation, name="options"),
    path("options/<id:conversation_id>/record/", views_options.record_started, name="options_record"),
    path("options/<id:conversation_id>/decide/", views_options.decide, name="options_decide"),
    path("options/<id:conversation_id>/follow-up/", views_options.follow_up, name="options_follow_up"),
    path("options/<id:conversation_id>/link/", views_options.send_link, name="options_link"),
    path("options/self/<str:token>/", views_options.self_service, name="options_self"),
    path("options/<id:conversation_id>/refer/", views_options.refer_on, name="options_refer"),
]
