from django.apps import AppConfig
from django.conf import settings
from django.core.signals import setting_changed

# Settings triage takes from the app (triage itself reads no environment variables).
TRIAGE_SETTINGS = frozenset({"ML_MODELS_DIR", "TRIAGE_REVIEW_THRESHOLD"})


def configure_triage(**_: object) -> None:
    """Give triage its models directory and review threshold from settings, the one source."""
    import triage

    triage.configure(
        models_dir=settings.ML_MODELS_DIR / "triage", review_threshold=settings.TRIAGE_REVIEW_THRESHOLD
    )


def _reconfigure_triage(*, setting: str, **_: object) -> None:
    if setting in TRIAGE_SETTINGS:  # tests that override them reach triage too
        configure_triage()


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = "Hệ thống / System"

    def ready(self) -> None:
        configure_triage()
        setting_changed.connect(_reconfigure_triage, dispatch_uid="core.reconfigure_triage")

        from django.db.models.signals import post_save

        from backend.core.metrics import count_created_report

        post_save.connect(count_created_report, sender="reports.Report", dispatch_uid="metrics-report-created")

        from backend.core.log_redaction import install_on_server_loggers

        # In every process that runs Django (servers, runserver, commands): no secret in a server log line.
        install_on_server_loggers()
