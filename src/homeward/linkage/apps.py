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
        from django.db.models.signals import post_save

        from homeward.core.models import Person
        from homeward.discharge.models import DischargeCase
        from homeward.linkage import incremental

        register(
            incremental.INCREMENTAL_KIND,
            label="Person linkage: new and changed records",
            run=incremental.run_job,
            prepare=incremental.prepare_job,
        )
        post_save.connect(incremental.on_person_saved, sender=Person, dispatch_uid="linkage-person")
        post_save.connect(incremental.on_case_saved, sender=DischargeCase, dispatch_uid="linkage-case")
        register_today(today_items)
        from homeward.casework.kpis import register_kpi_provider
        from homeward.linkage.kpis import linkage_kpis

        register_kpi_provider("linkage", "Person linkage", linkage_kpis)
        from homeward.governance.subject_access import register_section
        from homeward.linkage.timeline import subject_access_section

        register_section("linkage", subject_access_section)
        from homeward.linkage.selectors import known_elsewhere
        from homeward.people.timeline import register_known_elsewhere

        register_known_elsewhere(lambda actor, person: known_elsewhere(actor, person.pk))
        from homeward.linkage import merges

        merges.register()
