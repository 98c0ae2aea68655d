from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "homeward.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes and business cases"

    def ready(self) -> None:
        from homeward.jobs.registry import register
        from homeward.outcomes.report import REPORT_KIND, prepare_report_job, run_report_job
        from homeward.outcomes.simulation import JOB_KIND, prepare_simulation_job, run_simulation_job

        register(
            JOB_KIND, label="Simulation (What if?)", run=run_simulation_job, prepare=prepare_simulation_job
        )
        register(REPORT_KIND, label="Business case report", run=run_report_job, prepare=prepare_report_job)
