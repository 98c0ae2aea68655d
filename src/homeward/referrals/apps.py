from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "homeward.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        from homeward.casework.today import register_today
        from homeward.referrals.selectors import today_items

        register_today(today_items)
        from homeward.casework.kpis import register_kpi_provider
        from homeward.referrals.kpis import referral_kpis

        register_kpi_provider("referrals", "Onward referrals", referral_kpis)
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_provider
        from homeward.referrals.timeline import subject_access_section, timeline_entries

        register_provider(timeline_entries)
        register_section("referrals", subject_access_section)
        from homeward.referrals.places import connect

        connect()  # directory search's spatial index follows the directory
