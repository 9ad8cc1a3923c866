from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    """The public side: public API, Open311, the public pages (/public/, /track/) and the assistant."""

    name = "backend.transparency"
    label = "transparency"
    verbose_name = "Công khai / Transparency"

    def ready(self) -> None:
        from backend.transparency import messages  # noqa: F401  (registers this app's messages)
