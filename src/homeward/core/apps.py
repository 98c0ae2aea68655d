from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "homeward.core"
    label = "core"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django.urls import register_converter

        from homeward.core.validators import IdConverter

        register_converter(IdConverter, "id")
