from django.apps import AppConfig


class ReablementConfig(AppConfig):
    name = "homeward.reablement"
    label = "reablement"
    verbose_name = "Reablement and intermediate care"

    def ready(self) -> None:
        from homeward.casework.kpis import register_kpi_provider
        from homeward.casework.today import register_today
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_open_work, register_provider
        from homeward.reablement.kpis import reablement_kpis
        from homeward.reablement.mdt import today_items
        from homeward.reablement.timeline import (
            open_work,
            referral_source,
            subject_access_section,
            timeline_entries,
        )
        from homeward.referrals.sources import register_source

        register_kpi_provider("reablement", "Reablement and intermediate care", reablement_kpis)
        register_provider(timeline_entries)
        register_open_work(open_work)
        register_section("reablement", subject_access_section)
        register_today(today_items)
        register_source("reablement.stay", referral_source)
