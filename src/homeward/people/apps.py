from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Person reads and writes, search, the timeline and the staff pages. The models stay in `core`, except
    the record of merges of duplicate records (`PersonMerge`)."""

    name = "homeward.people"
    label = "people"
    verbose_name = "People and staff"

    def ready(self) -> None:
        from homeward.governance.subject_access import register_section
        from homeward.people import merges
        from homeward.people.timeline import register_provider

        register_provider(merges.timeline_entries)
        register_section("merges", merges.subject_access_section)
