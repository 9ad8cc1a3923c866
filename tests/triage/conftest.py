"""Fixtures for the triage tests: a tiny labelled set and a model trained on it (once per session)."""

from pathlib import Path

import pytest

import triage
from triage import config
from triage.training.data import LabelledReport, read_reports
from triage.training.fit import TrainingConfig
from triage.training.train import TrainingOutcome, train

FIXTURE_CSV = Path(__file__).with_name("fixture_reports.csv")
# The urgency policy is chosen on out-of-fold predictions of the fixture itself.
FIXTURE_CONFIG = TrainingConfig()


@pytest.fixture(scope="session")
def fixture_rows() -> list[LabelledReport]:
    return read_reports(FIXTURE_CSV)


@pytest.fixture(scope="session")
def trained(tmp_path_factory, fixture_rows) -> TrainingOutcome:
    """A model version trained on the fixture in its own models directory (not active)."""
    root = tmp_path_factory.mktemp("models")
    return train(
        fixture_rows, seed=7, progress=False, root=root, version="2026.01.01-1", config=FIXTURE_CONFIG
    )


@pytest.fixture
def models_dir(tmp_path) -> Path:
    """An empty models directory used by the process-wide model; forgotten after the test."""
    root = tmp_path / "models"
    root.mkdir()
    before = config.current()
    triage.configure(models_dir=root)
    yield root
    config.restore(before)
    triage.reset_model()
