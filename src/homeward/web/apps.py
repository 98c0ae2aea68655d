from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "homeward.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        from homeward.web import signals  # noqa: F401  (connects sign-in auditing)
