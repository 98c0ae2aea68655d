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

        from homeward.adaptations import healthy_timeline
        from homeward.adaptations.healthy_kpis import healthy_homes_kpis

        register_kpi_provider("healthy_homes", "Healthy homes", healthy_homes_kpis)
        from homeward.adaptations.followup_kpis import followup_kpis

        register_kpi_provider(
            "falls_followup", "Falls and hospital admissions after a falls check or adaptation", followup_kpis
        )
        from homeward.adaptations.business_case import propose
        from homeward.casework.proposers import register_proposer

        register_proposer("adaptations", "Adaptations: hospital fast track and falls prevention", propose)
        register_provider(healthy_timeline.timeline_entries)
        register_section("healthy_homes", healthy_timeline.subject_access_section)
        register_source("adaptations.visit", healthy_timeline.visit_source)
