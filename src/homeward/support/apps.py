from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "homeward.support"
    label = "support"
    verbose_name = "Social prescribing and key work"

    def ready(self) -> None:
        from homeward.governance.subject_access import register_section
        from homeward.people.timeline import register_provider
        from homeward.referrals.sources import register_source
        from homeward.support.timeline import referral_source, subject_access_section, timeline_entries

        register_source("support.case", referral_source)
        register_provider(timeline_entries)
        register_section("social_prescribing_and_key_work", subject_access_section)
