from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "backend.alerts"
    label = "alerts"
    verbose_name = "Cảnh báo / Warnings"

    def ready(self) -> None:
        from backend.alerts import messages  # noqa: F401  (registers this app's error messages)
