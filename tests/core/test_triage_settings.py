"""Settings are triage's one source of configuration: the app passes them at start and on change."""

from pathlib import Path

from django.conf import settings

import triage
from triage import artifacts, config


def test_at_start_triage_uses_the_settings_models_dir_and_review_threshold():
    assert config.current() == config.TriageSettings(
        models_dir=(settings.ML_MODELS_DIR / "triage").resolve(),
        review_threshold=settings.TRIAGE_REVIEW_THRESHOLD,
    )
    assert artifacts.models_root() == (Path(settings.BASE_DIR) / "ml_models" / "triage").resolve()


def test_changed_settings_reach_triage(settings, tmp_path):
    # given other settings (as a deployment or a test sets them)
    settings.ML_MODELS_DIR = tmp_path
    settings.TRIAGE_REVIEW_THRESHOLD = 0.25
    # then triage uses them: no model in the empty folder, the new threshold
    assert config.current() == config.TriageSettings(models_dir=(tmp_path / "triage").resolve(), review_threshold=0.25)
    assert triage.model_version() is None


def test_the_original_settings_are_back_after_an_override():
    assert config.current().models_dir == (settings.ML_MODELS_DIR / "triage").resolve()
    assert triage.model_version() == artifacts.active_version(settings.ML_MODELS_DIR / "triage")
