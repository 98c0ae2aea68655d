from django.apps import AppConfig


class DischargeConfig(AppConfig):
    name = "homeward.discharge"
    label = "discharge"
    verbose_name = "Hospital to Home"
