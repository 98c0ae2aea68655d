from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "homeward.linkage"
    label = "linkage"
    verbose_name = "Person linkage"

    def ready(self) -> None:
        from homeward.casework.today import register_today
        from homeward.jobs.registry import register
        from homeward.linkage.runs import RUN_KIND, prepare_run_job, run_job
        from homeward.linkage.selectors import today_items

        register(RUN_KIND, label="Person linkage run", run=run_job, prepare=prepare_run_job)
        register_today(today_items)
