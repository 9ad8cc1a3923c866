from django.apps import AppConfig


class FactChecksConfig(AppConfig):
    name = "backend.factchecks"
    label = "factchecks"
    verbose_name = "Kiểm chứng tin đồn / Fact checks"

    def ready(self) -> None:
        from backend.factchecks import messages  # noqa: F401  (registers this app's error messages)
