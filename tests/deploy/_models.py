"""Models directories for tests of model promotion: the active shipped version and a loadable twin."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "ml_models" / "triage"
TWIN = "2000.01.01-1"


def models_with_twin(root: Path) -> tuple[str, str]:
    """Fill ``root`` (a models directory's ``triage`` folder) with the shipped active version, active,
    and a copy of it under another version name; returns (twin, active). Older shipped versions may no
    longer load with this code (another lexicon), so promotion is tested between two that do."""
    root.mkdir(parents=True, exist_ok=True)
    active = (SHIPPED / "ACTIVE").read_text().strip()
    shutil.copytree(SHIPPED / active, root / active)
    shutil.copytree(SHIPPED / active, root / TWIN)
    manifest = json.loads((root / TWIN / "manifest.json").read_text())
    manifest["model_version"] = TWIN
    (root / TWIN / "manifest.json").write_text(json.dumps(manifest, indent=2))
    (root / "ACTIVE").write_text(active + "\n")
    return TWIN, active
