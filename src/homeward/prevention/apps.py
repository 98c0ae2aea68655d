from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "homeward.prevention"
    label = "prevention"
    verbose_name = "Prevention"

    def ready(self) -> None:
        from homeward.casework.today import register_today
        from homeward.prevention.selectors import today_items

        register_today(today_items)
        from homeward.casework.kpis import register_kpi_provider
        from homeward.prevention.kpis import prevention_kpis

        register_kpi_provider("prevention", "Prevention", prevention_kpis)
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_provider
        from homeward.prevention.timeline import subject_access_section, timeline_entries

        register_provider(timeline_entries)
        register_section("prevention", subject_access_section)
        from homeward.jobs.registry import register
        from homeward.prevention.importer import IMPORT_KIND, run_import_job
        from homeward.prevention.scoring import SCORE_KIND, run_scoring_job

        register(IMPORT_KIND, label="Import housing events", run=run_import_job)
        register(SCORE_KIND, label="Score tenancies", run=run_scoring_job)
