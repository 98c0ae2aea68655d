from django.apps import AppConfig


class CarehomesConfig(AppConfig):
    name = "homeward.carehomes"
    label = "carehomes"
    verbose_name = "Care homes"

    def ready(self) -> None:
        from homeward.carehomes.business_case import propose_admissions_avoided
        from homeward.carehomes.kpis import carehome_kpis
        from homeward.carehomes.timeline import subject_access_section, timeline_entries
        from homeward.casework.kpis import register_kpi_provider
        from homeward.casework.proposers import register_proposer
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_provider

        register_kpi_provider("carehomes", "Care homes", carehome_kpis)
        register_proposer(
            "carehomes", "Care homes: admissions avoided after triage", propose_admissions_avoided
        )
        register_provider(timeline_entries)
        register_section("carehomes", subject_access_section)
