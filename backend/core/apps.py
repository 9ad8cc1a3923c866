from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = "Hệ thống / System"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from backend.core.metrics import count_created_report

        post_save.connect(count_created_report, sender="reports.Report", dispatch_uid="metrics-report-created")
