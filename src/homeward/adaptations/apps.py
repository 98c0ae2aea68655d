from django.apps import AppConfig


class AdaptationsConfig(AppConfig):
    name = "homeward.adaptations"
    label = "adaptations"
    verbose_name = "Adaptations"

    def ready(self) -> None:
        from homeward.adaptations.kpis import adaptation_kpis
        from homeward.adaptations.selectors import today_items
        from homeward.adaptations.timeline import (
            open_cases,
            referral_source,
            subject_access_section,
            timeline_entries,
        )
        from homeward.casework.kpis import register_kpi_provider
        from homeward.casework.today import register_today
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_open_work, register_provider
        from homeward.referrals.sources import register_source

        register_today(today_items)
        register_kpi_provider("adaptations", "Adaptations", adaptation_kpis)
        register_provider(timeline_entries)
        register_open_work(open_cases)
        register_section("adaptations", subject_access_section)
        register_source("adaptations.case", referral_source)
