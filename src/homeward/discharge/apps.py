from django.apps import AppConfig


class DischargeConfig(AppConfig):
    name = "homeward.discharge"
    label = "discharge"
    verbose_name = "Hospital to Home"

    def ready(self) -> None:
        from homeward.casework.today import register_today
        from homeward.discharge.selectors import today_items

        register_today(today_items)
        from homeward.casework.kpis import register_kpi_provider
        from homeward.discharge.kpis import hospital_to_home_kpis

        register_kpi_provider("hospital_to_home", "Hospital to Home", hospital_to_home_kpis)
        from homeward.casework.proposers import register_proposer
        from homeward.discharge.business_case import propose

        register_proposer("hospital_to_home", "Hospital to Home housing officers", propose)
        from homeward.discharge.timeline import (
            open_cases,
            referral_source,
            subject_access_section,
            timeline_entries,
        )
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_open_work, register_provider
        from homeward.referrals.sources import register_source

        register_provider(timeline_entries)
        register_open_work(open_cases)
        register_section("hospital_to_home", subject_access_section)
        register_source("discharge.case", referral_source)
