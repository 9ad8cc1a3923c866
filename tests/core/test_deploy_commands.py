"""The one-shot commands of the production shape: install_triage_models, periodic_alive."""

from __future__ import annotations

import io
import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.deploy._models import models_with_twin

MODELS = Path(__file__).resolve().parents[2] / "ml_models" / "triage"
BUNDLED = sorted(p.name for p in MODELS.iterdir() if p.is_dir())
ACTIVE = (MODELS / "ACTIVE").read_text().strip()


def test_bundled_models_are_copied_to_a_fresh_shared_directory(tmp_path, settings):
    target = tmp_path / "models" / "triage"
    settings.ML_MODELS_DIR = tmp_path / "models"
    settings.BUNDLED_MODELS_DIR = MODELS
    out = io.StringIO()
    call_command("install_triage_models", stdout=out)
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == BUNDLED
    assert (target / "ACTIVE").read_text().strip() == ACTIVE
    assert out.getvalue().strip() == f"copied {len(BUNDLED)} model version(s) {BUNDLED}; active: {ACTIVE}"


def test_an_active_version_chosen_on_the_volume_is_kept(tmp_path, settings):
    # given a shared directory where an operator promoted a version the image does not ship
    target = tmp_path / "models" / "triage"
    twin, _ = models_with_twin(target)
    (target / "ACTIVE").write_text(twin + "\n")
    settings.ML_MODELS_DIR = tmp_path / "models"
    settings.BUNDLED_MODELS_DIR = MODELS
    # when the migrate job installs the bundled models
    call_command("install_triage_models", stdout=io.StringIO())
    # then the shipped versions are there beside it and the operator's choice stands
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == sorted([twin, *BUNDLED])
    assert (target / "ACTIVE").read_text().strip() == twin


def test_periodic_alive_fails_without_a_recent_pass(db):
    from django.utils import timezone

    from backend.core.models import JobHeartbeat

    with pytest.raises(CommandError):
        call_command("periodic_alive", "--max-age", "300", stdout=io.StringIO())
    old = JobHeartbeat.objects.create(name="periodic")
    JobHeartbeat.objects.filter(pk=old.pk).update(beat_at=timezone.now() - timedelta(minutes=10))
    with pytest.raises(CommandError):
        call_command("periodic_alive", "--max-age", "300", stdout=io.StringIO())
    JobHeartbeat.objects.create(name="periodic")
    out = io.StringIO()
    call_command("periodic_alive", "--max-age", "300", stdout=out)
    assert out.getvalue().startswith("periodic jobs last ran at ")


def test_an_active_version_this_code_cannot_read_gives_way_to_the_images(tmp_path, settings):
    # given a shared volume whose ACTIVE names a version of an older model format (as after an upgrade)
    target = tmp_path / "models" / "triage"
    target.mkdir(parents=True)
    old = target / "2000.01.01-1"
    shutil.copytree(MODELS / ACTIVE, old)
    manifest = json.loads((old / "manifest.json").read_text())
    manifest.update(model_version=old.name, format_version=1)
    (old / "manifest.json").write_text(json.dumps(manifest))
    (target / "ACTIVE").write_text(old.name + "\n")
    settings.ML_MODELS_DIR = tmp_path / "models"
    settings.BUNDLED_MODELS_DIR = MODELS
    # when the migrate job installs the image's models
    out = io.StringIO()
    call_command("install_triage_models", stdout=out)
    # then the image's active version is used, and the job says why
    assert (target / "ACTIVE").read_text().strip() == ACTIVE
    assert out.getvalue().startswith(f"active version {old.name} does not load with this code; using the image's")
