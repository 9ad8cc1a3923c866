"""A promoted triage model reaches a process that did not promote it (the shared models directory)."""

from __future__ import annotations

import shutil

import pytest

import triage
from backend.core import model_watch
from tests.deploy._models import models_with_twin


@pytest.fixture
def shared_models(tmp_path, settings):
    """A models directory of its own (as ML_MODELS_DIR names it): two loadable versions, one active."""
    older, newer = models_with_twin(tmp_path / "models" / "triage")
    settings.ML_MODELS_DIR = tmp_path / "models"  # backend.core reconfigures triage
    triage.reset_model()
    yield tmp_path / "models" / "triage", (older, newer)
    triage.reset_model()


def test_a_promotion_written_elsewhere_is_picked_up(shared_models):
    root, (older, newer) = shared_models
    # given this process classifies with the active (newer) model
    assert triage.classify("Ổ gà lớn trên đường Lê Lợi").model_version == newer
    # when another process promotes the older version (the ACTIVE file is replaced)
    (root / "ACTIVE").write_text(older + "\n")
    # then until the check nothing changes, and after it this process classifies with the promoted one
    assert triage.model_version() == newer
    assert model_watch.refresh() == older
    assert triage.classify("Ổ gà lớn trên đường Lê Lợi").model_version == older


def test_a_version_that_does_not_load_keeps_the_current_model(shared_models):
    root, (_older, newer) = shared_models
    # given a process using the active model, and a promotion to a version whose model file was damaged
    assert triage.model_version() == newer
    broken = root / "2026.01.01-1"
    shutil.copytree(root / newer, broken)
    (broken / "model.npz").write_bytes(b"not a model")
    (root / "ACTIVE").write_text("2026.01.01-1\n")
    # when the process checks, then it keeps the model it had
    assert model_watch.refresh() == newer
    assert triage.classify("Cây đổ chắn ngang đường").model_version == newer


def test_promote_command_refuses_an_unknown_version_and_changes_nothing(shared_models):
    from django.core.management import CommandError, call_command

    root, (_older, newer) = shared_models
    with pytest.raises(CommandError):
        call_command("promote_triage_model", "2031.01.01-1")
    assert (root / "ACTIVE").read_text().strip() == newer


def test_promote_command_switches_the_active_version(shared_models):
    import io

    from django.core.management import call_command

    root, (older, newer) = shared_models
    out = io.StringIO()
    call_command("promote_triage_model", older, stdout=out)
    assert (root / "ACTIVE").read_text().strip() == older
    assert out.getvalue().strip() == f"active triage model: {newer} -> {older}"
    assert triage.model_version() == older
