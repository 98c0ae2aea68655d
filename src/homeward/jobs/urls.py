"""Jobs routes, under /jobs/."""

from django.urls import path

from homeward.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<id:job_id>/", views.job_detail, name="job"),
    path("<id:job_id>/status/", views.job_status, name="status"),
    path("<id:job_id>/cancel/", views.job_cancel, name="cancel"),
    path("<id:job_id>/download/", views.job_download, name="download"),
]
