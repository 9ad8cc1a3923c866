from django.apps import AppConfig


class EpidemicConfig(AppConfig):
    name = "backend.epidemic"
    label = "epidemic"
    verbose_name = "Chế độ dịch bệnh / Epidemic mode"

    def ready(self) -> None:
        from backend.epidemic import messages  # noqa: F401  (registers this app's error messages)
