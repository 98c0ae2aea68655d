"""Background jobs: long work (imports, scoring, reports, simulations) run by `homeward worker`.

Built on django-tasks with its database backend (`django_tasks_db`), so it works on PostgreSQL and SQLite.
A `Job` row is what people see: who asked, for which organisation, its status, progress, result and error.
Domain apps register what a kind of job runs (`homeward.jobs.registry`) and start jobs with
`homeward.jobs.services.start_job`; the worker runs each job in a child process under a memory ceiling.
See docs/jobs.md.
"""
