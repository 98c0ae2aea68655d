from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "homeward.evaluation"
    label = "evaluation"
    verbose_name = "Measured impact"

    def ready(self) -> None:
        from homeward.evaluation import imports, services
        from homeward.jobs.registry import register

        register(
            services.RUN_KIND,
            label="Evaluation: matching and difference-in-differences",
            run=services.run_run_job,
            prepare=services.prepare_run_job,
        )
        register(
            imports.IMPORT_KIND,
            label="Activity extract import",
            run=imports.run_import_job,
            prepare=imports.prepare_import_job,
        )
