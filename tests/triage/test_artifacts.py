"""Loading refuses anything it must not load, before reading the model file, and says why."""

import json
import shutil

import numpy as np
import pytest

from triage import artifacts
from triage.artifacts import ModelLoadError, load_version
from triage.lexicon import LEXICON_SHA256


def _copy_version(trained, tmp_path, name="2026.01.01-1"):
    """A private copy of the trained fixture version, so a test can damage it."""
    root = tmp_path / "models"
    shutil.copytree(trained.path, root / name)
    return root, root / name


def _edit_manifest(version_dir, **changes):
    path = version_dir / artifacts.MANIFEST_FILE
    manifest = json.loads(path.read_text())
    for key, value in changes.items():
        if key == "sklearn":
            manifest["libraries"]["scikit-learn"] = value
        else:
            manifest[key] = value
    path.write_text(json.dumps(manifest))


def test_version_folder_holds_model_manifest_metrics_card_and_png(trained):
    names = sorted(path.name for path in trained.path.iterdir())

    assert names == [
        "MODEL_CARD.md",
        "confusion_matrix.png",
        "manifest.json",
        "metrics.json",
        "model.npz",
        "trained_on.txt",
    ]
    manifest = json.loads((trained.path / "manifest.json").read_text())
    assert manifest["format_version"] == artifacts.FORMAT_VERSION
    assert manifest["model_version"] == "2026.01.01-1"
    assert manifest["model_sha256"] == artifacts.sha256_file(trained.path / "model.npz")
    assert set(manifest["libraries"]) == {"python", "numpy", "scipy", "scikit-learn"}
    assert len(manifest["data_hash"]) == 64
    assert manifest["created_at"].endswith("+00:00")


def test_model_file_holds_arrays_only(trained):
    # numpy refuses object arrays (pickles) when allow_pickle=False: loading succeeds, so there are none
    with np.load(trained.path / "model.npz", allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)


def test_a_valid_version_loads(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)

    model, manifest = load_version("2026.01.01-1", root=root)

    assert manifest["model_version"] == "2026.01.01-1"
    assert model.category.labels == trained.model.category.labels


def test_tampered_model_file_is_refused(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    with (version_dir / "model.npz").open("ab") as handle:
        handle.write(b"\0")

    with pytest.raises(ModelLoadError, match="sha256 .* but its manifest says"):
        load_version(version_dir, root=root)


def test_a_model_trained_with_another_lexicon_is_refused(trained, tmp_path):
    # given a version whose manifest records another lexicon content hash
    root, version_dir = _copy_version(trained, tmp_path)
    _edit_manifest(version_dir, lexicon_sha256="0" * 64)

    # then loading it is an error that names both hashes
    with pytest.raises(ModelLoadError, match=f"lexicon whose sha256 is '0{{64}}'.*has {LEXICON_SHA256}"):
        load_version(version_dir, root=root)


def test_the_manifest_records_the_lexicon_hash(trained):
    manifest = json.loads((trained.path / "manifest.json").read_text())
    assert manifest["lexicon_sha256"] == LEXICON_SHA256


def test_wrong_format_version_is_refused(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    _edit_manifest(version_dir, format_version=99)

    with pytest.raises(ModelLoadError, match="has format version 99; this code reads format 2"):
        load_version(version_dir, root=root)


def test_other_scikit_learn_minor_version_is_refused(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    _edit_manifest(version_dir, sklearn="1.0.2")

    with pytest.raises(ModelLoadError, match="trained with scikit-learn 1.0.2.*major.minor must match"):
        load_version(version_dir, root=root)


def test_manifest_naming_another_version_is_refused(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    _edit_manifest(version_dir, model_version="2026.01.01-9")

    with pytest.raises(ModelLoadError, match="names version '2026.01.01-9'"):
        load_version(version_dir, root=root)


def test_directory_without_manifest_is_refused(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    (version_dir / "manifest.json").unlink()

    with pytest.raises(ModelLoadError, match="no manifest.json"):
        load_version(version_dir, root=root)


@pytest.mark.parametrize("where", ["outside", "nested", "dotdot"])
def test_paths_outside_the_models_directory_are_refused(trained, tmp_path, where):
    root, version_dir = _copy_version(trained, tmp_path)
    outside = tmp_path / "elsewhere" / "2026.01.01-1"
    shutil.copytree(version_dir, outside)
    nested = root / "sub" / "2026.01.01-1"
    shutil.copytree(version_dir, nested)
    path = {"outside": outside, "nested": nested, "dotdot": root / ".." / "elsewhere" / "2026.01.01-1"}[where]

    with pytest.raises(
        ModelLoadError, match="models are only loaded from version directories directly inside"
    ):
        load_version(path, root=root)


def test_symlink_pointing_outside_is_refused(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    outside = tmp_path / "elsewhere" / "2026.01.02-1"
    shutil.copytree(version_dir, outside)
    (root / "2026.01.02-1").symlink_to(outside)

    with pytest.raises(ModelLoadError, match="directly inside"):
        load_version("2026.01.02-1", root=root)


def test_no_active_version_is_a_clear_error(tmp_path):
    with pytest.raises(ModelLoadError, match="no active triage model: .*ACTIVE is missing or empty"):
        artifacts.load_active(tmp_path)


def test_set_active_refuses_a_broken_version_and_keeps_the_old_one(trained, tmp_path):
    root, version_dir = _copy_version(trained, tmp_path)
    artifacts.set_active("2026.01.01-1", root)
    broken = root / "2026.01.01-2"
    shutil.copytree(version_dir, broken)
    (broken / "model.npz").write_bytes(b"not a model")

    with pytest.raises(ModelLoadError):
        artifacts.set_active("2026.01.01-2", root)

    assert artifacts.active_version(root) == "2026.01.01-1"


def test_next_version_counts_up_within_a_day(tmp_path):
    from datetime import UTC, datetime

    day = datetime(2026, 11, 22, tzinfo=UTC)
    assert artifacts.next_version(tmp_path, day) == "2026.11.22-1"
    (tmp_path / "2026.11.22-1").mkdir()
    (tmp_path / "2026.11.22-3").mkdir()
    assert artifacts.next_version(tmp_path, day) == "2026.11.22-4"
