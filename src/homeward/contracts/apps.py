from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "homeward.contracts"
    label = "contracts"
    verbose_name = "Outcome-based payments"
