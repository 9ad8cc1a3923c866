"""Model versions on disk: writing them, choosing the active one, and loading them safely.

Layout (``models_root()`` is the configured models directory, see ``triage.configure``; by default
the repository's ``ml_models/triage``)::

    ml_models/triage/
        ACTIVE                  the active version's name, e.g. "2026.11.22-1"
        2026.11.22-1/
            model.npz           arrays only (no pickle), see triage.model
            manifest.json       format version, sha256 of model.npz and of the lexicon, library versions,
                                data hash
            metrics.json        held-out and external evaluation
            confusion_matrix.png
            MODEL_CARD.md
            trained_on.txt      text keys of the training rows (fair comparison after data changes)

Loading refuses, with a ``ModelLoadError`` that says why, anything outside the models directory,
an unknown format version, a model trained with another scikit-learn major.minor or numpy major or
with another lexicon (``triage.lexicon``, by content hash), and a model file whose sha256 is not the
one in its manifest. All of this is checked before the
model file is read; the file itself is read with ``allow_pickle=False``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import scipy
import sklearn

from triage import config
from triage.lexicon import LEXICON_SHA256
from triage.model import TriageModel
from triage.normalize import NORMALIZER_VERSION

logger = logging.getLogger(__name__)

FORMAT_VERSION: Final = 2  # 2: the urgency policy (issue 14)
MODEL_FILE: Final = "model.npz"
MANIFEST_FILE: Final = "manifest.json"
METRICS_FILE: Final = "metrics.json"
CONFUSION_FILE: Final = "confusion_matrix.png"
CARD_FILE: Final = "MODEL_CARD.md"
ACTIVE_FILE: Final = "ACTIVE"
MAX_MODEL_BYTES: Final = 20 * 1024 * 1024  # committed to git: keep it small

_VERSION_RE: Final = re.compile(r"^\d{4}\.\d{2}\.\d{2}-\d+$")


class ModelLoadError(RuntimeError):
    """A model version that cannot or must not be loaded; the message says which and why."""


def models_root() -> Path:
    """The directory holding model versions (``triage.configure(models_dir=...)``)."""
    return config.current().models_dir


def library_versions() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def next_version(root: Path | None = None, today: datetime | None = None) -> str:
    """``YYYY.MM.DD-N``, N one more than the highest existing version of that day."""
    root = root or models_root()
    day = (today or datetime.now(UTC)).strftime("%Y.%m.%d")
    taken = [0]
    if root.is_dir():
        for entry in root.iterdir():
            if entry.name.startswith(day + "-") and _VERSION_RE.match(entry.name):
                taken.append(int(entry.name.rsplit("-", 1)[1]))
    return f"{day}-{max(taken) + 1}"


def write_version(
    model: TriageModel,
    version: str,
    *,
    data_hash: str,
    training: Mapping[str, Any],
    root: Path | None = None,
) -> Path:
    """Write ``model.npz`` and ``manifest.json`` of a new version; returns its directory.

    The directory appears complete or not at all (written aside, then renamed).
    """
    if not _VERSION_RE.match(version):
        raise ValueError(f"model version {version!r} must look like 2026.11.22-1")
    root = root or models_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / version
    if target.exists():
        raise FileExistsError(f"model version {version} already exists at {target}")
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
    try:
        model_path = staging / MODEL_FILE
        write_arrays(model_path, model.to_arrays())
        size = model_path.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise ValueError(
                f"model file is {size / 1e6:.1f} MB, above the {MAX_MODEL_BYTES / 1e6:.0f} MB limit"
            )
        manifest = {
            "format_version": FORMAT_VERSION,
            "model_version": version,
            "model_file": MODEL_FILE,
            "model_sha256": sha256_file(model_path),
            "model_bytes": size,
            "normalizer_version": NORMALIZER_VERSION,
            "lexicon_sha256": LEXICON_SHA256,
            "libraries": library_versions(),
            "data_hash": data_hash,
            "training": dict(training),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        write_json(staging / MANIFEST_FILE, manifest)
        staging.chmod(0o755)  # mkdtemp makes it private; the web server's user must read it
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def write_arrays(path: Path, arrays: Mapping[str, np.ndarray[Any, Any]]) -> None:
    """An ``.npz`` numpy can read with ``allow_pickle=False``, byte-for-byte reproducible.

    ``numpy.savez_compressed`` stamps the current time into the zip entries, so the same model would
    get a different sha256 each time; entries here are sorted and dated 1980-01-01.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(arrays[name]), allow_pickle=False)


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(
        json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8"
    )
    temporary.replace(path)


def read_json(path: Path) -> dict[str, Any]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(payload, dict):
        raise ValueError(f"{path} does not hold a JSON object")
    return payload


def active_version(root: Path | None = None) -> str | None:
    """The name in ``ACTIVE``, or None when there is no active model."""
    path = (root or models_root()) / ACTIVE_FILE
    try:
        name = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def set_active(version: str, root: Path | None = None) -> None:
    """Make ``version`` the active model (after checking it loads)."""
    root = root or models_root()
    load_version(root / version, root=root)
    temporary = root / (ACTIVE_FILE + ".tmp")
    temporary.write_text(version + "\n", encoding="utf-8")
    temporary.replace(root / ACTIVE_FILE)


def resolve_version_dir(path: str | os.PathLike[str], root: Path | None = None) -> Path:
    """The version directory for ``path`` (a version name or a directory), which must lie in ``root``."""
    root = (root or models_root()).resolve()
    candidate = Path(path)
    if not candidate.is_absolute() and len(candidate.parts) == 1:
        candidate = root / candidate  # a bare version name
    resolved = candidate.resolve()
    if resolved.name == MODEL_FILE or resolved.name == MANIFEST_FILE:
        resolved = resolved.parent
    if resolved.parent != root:
        raise ModelLoadError(
            f"refusing to load a model from {resolved}: models are only loaded from version "
            f"directories directly inside {root} (triage.configure(models_dir=...) chooses another models "
            "directory; the app passes settings.ML_MODELS_DIR)"
        )
    return resolved


def verify_version(version_dir: Path) -> dict[str, Any]:
    """Check a version directory's manifest against this process and its model file; returns the manifest."""
    manifest_path = version_dir / MANIFEST_FILE
    try:
        manifest = read_json(manifest_path)
    except FileNotFoundError:
        raise ModelLoadError(f"no {MANIFEST_FILE} in {version_dir}: not a triage model version") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ModelLoadError(f"unreadable {manifest_path}: {error}") from None
    found_format = manifest.get("format_version")
    if found_format != FORMAT_VERSION:
        raise ModelLoadError(
            f"model {version_dir.name} has format version {found_format!r}; this code reads format "
            f"{FORMAT_VERSION}. Retrain with `python -m triage train`."
        )
    if manifest.get("model_version") != version_dir.name:
        raise ModelLoadError(
            f"manifest of {version_dir} names version {manifest.get('model_version')!r}, not {version_dir.name!r}"
        )
    libraries = manifest.get("libraries")
    if not isinstance(libraries, dict):
        raise ModelLoadError(f"manifest of {version_dir.name} does not record library versions")
    current = library_versions()
    trained_sklearn = str(libraries.get("scikit-learn", "?"))
    if _major_minor(trained_sklearn) != _major_minor(current["scikit-learn"]):
        raise ModelLoadError(
            f"model {version_dir.name} was trained with scikit-learn {trained_sklearn}, this process has "
            f"{current['scikit-learn']} (major.minor must match). Retrain with `python -m triage train`."
        )
    trained_numpy = str(libraries.get("numpy", "?"))
    if trained_numpy.split(".")[0] != current["numpy"].split(".")[0]:
        raise ModelLoadError(
            f"model {version_dir.name} was written with numpy {trained_numpy}, this process has "
            f"{current['numpy']} (major must match). Retrain with `python -m triage train`."
        )
    model_file = manifest.get("model_file")
    if model_file != MODEL_FILE:
        raise ModelLoadError(
            f"manifest of {version_dir.name} names model file {model_file!r}, expected {MODEL_FILE!r}"
        )
    trained_lexicon = manifest.get("lexicon_sha256")
    if trained_lexicon != LEXICON_SHA256:
        # The concept tokens are word features: under another lexicon the same weights would read
        # other words, and nothing would look wrong.
        raise ModelLoadError(
            f"model {version_dir.name} was trained with the lexicon whose sha256 is {trained_lexicon!r}; the "
            f"lexicon in triage/lexicon/ has {LEXICON_SHA256}. Retrain with `python -m triage train`."
        )
    model_path = version_dir / MODEL_FILE
    if not model_path.is_file():
        raise ModelLoadError(f"model file {model_path} is missing")
    size = model_path.stat().st_size
    if size > MAX_MODEL_BYTES:
        raise ModelLoadError(
            f"model file {model_path} is {size} bytes, above the {MAX_MODEL_BYTES} byte limit"
        )
    expected = manifest.get("model_sha256")
    actual = sha256_file(model_path)
    if actual != expected:
        raise ModelLoadError(
            f"model file {model_path} has sha256 {actual}, but its manifest says {expected!r}: the file was "
            "changed after training; refusing to load it"
        )
    return manifest


def load_version(
    path: str | os.PathLike[str], root: Path | None = None
) -> tuple[TriageModel, dict[str, Any]]:
    """Verify and load one model version (see the module docstring); returns the model and its manifest."""
    version_dir = resolve_version_dir(path, root)
    if not version_dir.is_dir():
        raise ModelLoadError(f"model version directory {version_dir} does not exist")
    manifest = verify_version(version_dir)
    try:
        with np.load(version_dir / MODEL_FILE, allow_pickle=False) as arrays:
            model = TriageModel.from_arrays({name: arrays[name] for name in arrays.files})
    except (OSError, KeyError, ValueError) as error:
        raise ModelLoadError(f"model file of {version_dir.name} is malformed: {error}") from None
    if manifest.get("normalizer_version") != NORMALIZER_VERSION:
        # Not refused: the model still works, but it was trained on slightly different features.
        logger.warning(
            "triage model %s was trained with normalizer_version %s, this code has %s: retrain for best results",
            version_dir.name, manifest.get("normalizer_version"), NORMALIZER_VERSION,
        )  # fmt: skip
    return model, manifest


def load_active(root: Path | None = None) -> tuple[TriageModel, dict[str, Any]]:
    """The active model, or ModelLoadError when there is none or it is unusable."""
    root = root or models_root()
    version = active_version(root)
    if version is None:
        raise ModelLoadError(f"no active triage model: {root / ACTIVE_FILE} is missing or empty")
    return load_version(root / version, root=root)
