from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "homeward.housing"
    label = "housing"
    verbose_name = "Supported housing"

    def ready(self) -> None:
        from homeward.casework.kpis import register_kpi_provider
        from homeward.casework.proposers import register_proposer
        from homeward.governance.subject_access import register_section
        from homeward.housing.business_case import propose_housing
        from homeward.housing.kpis import housing_kpis
        from homeward.housing.timeline import (
            open_people_place,
            open_placements,
            options_source,
            people_place_source,
            referral_source,
            subject_access_section,
            timeline_entries,
        )
        from homeward.people.timeline import register_open_work, register_provider
        from homeward.referrals.sources import register_source

        register_kpi_provider("housing", "Supported housing", housing_kpis)
        register_proposer(
            "housing", "Supported housing: tenancy failure, rough sleeping and care avoided", propose_housing
        )
        register_provider(timeline_entries)
        register_open_work(open_placements)
        register_open_work(open_people_place)
        register_section("housing", subject_access_section)
        register_source("housing.placement", referral_source)
        register_source("housing.options", options_source)
        register_source("housing.people_place", people_place_source)
