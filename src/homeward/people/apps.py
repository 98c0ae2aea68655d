from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Person reads and writes, search, the timeline and the staff pages. The models stay in `core`."""

    name = "homeward.people"
    label = "people"
    verbose_name = "People and staff"
