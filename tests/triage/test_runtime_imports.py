"""The request path (`import triage; triage.classify`) never imports training code or its extra."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRAINING_ONLY = ("triage.training", "matplotlib", "tqdm", "sklearn.svm", "sklearn.calibration")


def test_classifying_a_report_imports_no_training_module():
    # given a fresh interpreter
    script = (
        "import json, sys, triage\n"
        "result = triage.classify('Dây điện bị đứt rơi xuống đường Lê Lợi')\n"
        f"prefixes = {TRAINING_ONLY!r}\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(prefixes))\n"
        "print(json.dumps({'urgency': result.urgency, 'loaded': loaded}))\n"
    )
    # when it imports triage and classifies one report with the committed model
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    answer = json.loads(run.stdout.strip().splitlines()[-1])
    # then no training module, matplotlib or tqdm was imported
    assert answer == {"urgency": "critical", "loaded": []}
