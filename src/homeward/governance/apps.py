from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "homeward.governance"
    label = "governance"
    verbose_name = "Information governance"
