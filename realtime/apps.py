from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Thời gian thực / Realtime"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from realtime import log_redaction

        # Sockets may carry ?token=: no server log line may keep it.
        log_redaction.install()
