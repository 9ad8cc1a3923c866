from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Thời gian thực / Realtime"
    default_auto_field = "django.db.models.BigAutoField"
