"""Command line: ``python -m triage train|evaluate|classify|compare``.

``main(argv, extra_examples=...)`` is also the entry point for the Django management command
``train_triage``, which passes operator-corrected reports from the database as ``extra_examples``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from triage import artifacts
from triage.training.compare import compare_estimators, compare_on_writers, compare_with_baseline
from triage.training.data import (
    DEFAULT_DATA_PATH,
    DEFAULT_WRITERS_DIR,
    LabelledReport,
    held_out_split,
    read_feedback,
    read_reports,
    read_writer_reports,
)
from triage.training.external import DEFAULT_EVAL_DIR, evaluate_external, summary_lines
from triage.training.fit import TrainingConfig
from triage.training.metrics import evaluate
from triage.training.promote import promote_if_not_worse
from triage.training.report import write_model_card
from triage.training.train import train


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m triage", description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, help="models directory (default: ml_models/triage)")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR,
                        help="external evaluation sets (default: ../shared/data/eval)")  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)

    train_cmd = commands.add_parser("train", help="train a new version, evaluate it, promote it if not worse")
    train_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_PATH, help="labelled reports CSV")
    train_cmd.add_argument("--include-feedback", type=Path, metavar="FILE.csv", action="append", default=[],
                           help="operator-corrected reports (text,category,urgency) added to training")  # fmt: skip
    train_cmd.add_argument("--writers", type=Path, default=DEFAULT_WRITERS_DIR,
                           help="new writers' reports (train_writer_*.csv), trained on whole and used for "
                           "leave-one-writer-out validation (default: triage/data/writers)")  # fmt: skip
    train_cmd.add_argument("--no-writers", action="store_true", help="train on the corpus alone")
    train_cmd.add_argument("--seed", type=int, default=42)
    train_cmd.add_argument(
        "--no-promote", action="store_true", help="write the version but leave ACTIVE alone"
    )
    train_cmd.add_argument("--no-external", action="store_true", help="skip the external evaluation")
    train_cmd.add_argument(
        "--no-independent", action="store_true",
        help="do not score the new version on the independent test set (it is scored once per version)",
    )  # fmt: skip
    train_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    train_cmd.add_argument("--urgency-head", choices=("flat", "ordinal"), default=TrainingConfig().urgency_head,
                           help="urgency head (TrainingConfig.urgency_head: the comparison behind the default)")  # fmt: skip
    train_cmd.add_argument("--urgency-c", type=float, default=TrainingConfig().urgency_c)
    train_cmd.add_argument("--category-word-scale", type=float, default=TrainingConfig().category_word_scale,
                           help="word block's scale in the category head's fit (TrainingConfig.category_word_scale)")  # fmt: skip

    evaluate_cmd = commands.add_parser(
        "evaluate", help="evaluate a version on its held-out split and external data"
    )
    evaluate_cmd.add_argument("--version", help="version name (default: the active one)")
    evaluate_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_PATH)
    evaluate_cmd.add_argument("--no-external", action="store_true")

    independent_cmd = commands.add_parser(
        "independent",
        help="score a version once on the independent test set (aggregate figures only; stored in its metrics)",
    )
    independent_cmd.add_argument("--version", help="version name (default: the active one)")

    classify_cmd = commands.add_parser("classify", help="triage texts given as arguments")
    classify_cmd.add_argument("texts", nargs="+")

    compare_cmd = commands.add_parser("compare", help="cross-validate estimator choices on the train split")
    compare_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_PATH)
    compare_cmd.add_argument("--seed", type=int, default=42)
    writers_cmd = commands.add_parser(
        "compare-writers",
        help="configs judged on the train split's grouped folds and leave-one-writer-out folds",
    )
    writers_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_PATH)
    writers_cmd.add_argument("--writers", type=Path, default=DEFAULT_WRITERS_DIR)
    writers_cmd.add_argument("--seed", type=int, default=42)
    writers_cmd.add_argument("--writer-weight", type=float, nargs="+", default=[1.0])
    writers_cmd.add_argument("--urgency-c", type=float, nargs="+", default=[0.5])
    writers_cmd.add_argument("--category-c", type=float, nargs="+", default=[0.5])
    writers_cmd.add_argument("--urgency-head", choices=("flat", "ordinal"), nargs="+", default=["flat"])
    writers_cmd.add_argument("--folds", type=int, default=5, help="grouped folds of the train split")
    baseline_cmd = commands.add_parser(
        "compare-data",
        help="grouped 5-fold CV of this data + config against an earlier data file + a version's config",
    )
    baseline_cmd.add_argument("--data", type=Path, default=DEFAULT_DATA_PATH)
    baseline_cmd.add_argument("--baseline-data", type=Path, required=True, help="the earlier reports CSV")
    baseline_cmd.add_argument(
        "--baseline-version", required=True, help="version whose training config to use"
    )
    baseline_cmd.add_argument("--seeds", type=int, nargs="+", default=[7, 11])
    return parser


def main(
    argv: Sequence[str] | None = None,
    extra_examples: Iterable[LabelledReport | Mapping[str, Any]] = (),
    out: Callable[[str], None] = print,
) -> int:
    """Run one command; returns the process exit status."""
    args = _parser().parse_args(argv)
    root: Path = args.models_dir.resolve() if args.models_dir else artifacts.models_root()
    if args.command == "train":
        return _train(args, root, list(extra_examples), out)
    if args.command == "evaluate":
        return _evaluate(args, root, out)
    if args.command == "independent":
        return _independent(args, root, out)
    if args.command == "classify":
        from triage import classify, configure, model_version

        configure(models_dir=root)

        for text in args.texts:
            out(json.dumps({"text": text, **_as_dict(classify(text))}, ensure_ascii=False))
        out(f"model: {model_version()}")
        return 0
    rows = read_reports(args.data)
    if args.command == "compare-writers":
        candidates = [
            TrainingConfig(writer_weight=w, urgency_c=u, category_c=c, policy_folds=args.folds, urgency_head=h)
            for h in args.urgency_head
            for w in args.writer_weight
            for u in args.urgency_c
            for c in args.category_c
        ]
        compare_on_writers(rows, read_writer_reports(args.writers), candidates, seed=args.seed, out=out)
        return 0
    if args.command == "compare-data":
        manifest = artifacts.read_json(root / args.baseline_version / artifacts.MANIFEST_FILE)
        baseline_config = TrainingConfig(**manifest["training"]["config"])
        compare_with_baseline(
            rows, read_reports(args.baseline_data), baseline_config, seeds=args.seeds, out=out
        )
        return 0
    compare_estimators(rows, seed=args.seed, out=out)
    return 0


def _as_dict(result: object) -> dict[str, Any]:
    from dataclasses import asdict, is_dataclass

    assert is_dataclass(result) and not isinstance(result, type)
    return asdict(result)


def _train(
    args: argparse.Namespace,
    root: Path,
    extra: list[LabelledReport | Mapping[str, Any]],
    out: Callable[[str], None],
) -> int:
    rows = read_reports(args.data)
    for path in args.include_feedback:
        extra.extend(read_feedback(path))
    writers = [] if args.no_writers else read_writer_reports(args.writers)
    config = TrainingConfig(urgency_head=args.urgency_head, urgency_c=args.urgency_c,
                            category_word_scale=args.category_word_scale)  # fmt: skip
    outcome = train(rows, seed=args.seed, extra_examples=extra, progress=not args.quiet, root=root,
                    data_source=_display(args.data), writer_rows=writers, config=config)  # fmt: skip
    if not args.no_external:
        external = evaluate_external(outcome.model, outcome.version, args.eval_dir)
        if external:
            outcome.metrics["external"] = external
            artifacts.write_json(outcome.path / artifacts.METRICS_FILE, outcome.metrics)
            write_model_card(outcome.path, outcome.metrics)
    _print_summary(outcome.version, outcome.metrics, out)
    if not args.no_independent:
        _independent_change(outcome.version, root, out)
    if args.no_promote:
        out(f"not promoted (--no-promote); active stays {artifacts.active_version(root)}")
    else:
        promote_if_not_worse(outcome, root=root, out=out)
    return 0


def _independent_change(version: str, root: Path, out: Callable[[str], None]) -> None:
    """Score the new version once on the independent set and print what changed against the active one.

    Reported only: promotion never looks at this set (it would become a tuning target).
    """
    from triage import config
    from triage.training import independent

    model, _ = artifacts.load_version(version, root=root)
    new = independent.evaluate_independent(
        model, version, root, review_threshold=config.current().review_threshold, out=out
    )
    active = artifacts.active_version(root)
    old: Mapping[str, Any] = {}
    if active and active != version and (root / active / artifacts.METRICS_FILE).is_file():
        old = artifacts.read_json(root / active / artifacts.METRICS_FILE).get(independent.METRICS_KEY) or {}
    out(f"independent test set ({new['rows']} reports; reported, never used to promote):")
    out(f"  {'figure':<28}{(active or '-'):>16}{version:>16}")
    for key in independent.HEADLINE:
        out(f"  {key:<28}{_fmt_figure(old.get(key)):>16}{_fmt_figure(new.get(key)):>16}")


def _fmt_figure(value: object) -> str:
    return "-" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parent.parent))
    except ValueError:
        return str(path)


def _evaluate(args: argparse.Namespace, root: Path, out: Callable[[str], None]) -> int:
    version = args.version or artifacts.active_version(root)
    if version is None:
        out(f"no active model in {root}")
        return 1
    model, manifest = artifacts.load_version(version, root=root)
    seed = int(manifest.get("training", {}).get("seed", 42))
    rows = read_reports(args.data)
    from triage.training.data import data_hash

    if data_hash(rows) != manifest.get("data_hash"):
        out(
            "warning: the data differs from what this model was trained on; the held-out split is not the same"
        )
    _, test_index = held_out_split(rows, seed)
    held_out = evaluate(model, [rows[i] for i in test_index], model_version=version)
    metrics: dict[str, Any] = {"model_version": version, "held_out": held_out}
    if not args.no_external:
        metrics["external"] = evaluate_external(model, version, args.eval_dir)
    _print_summary(version, metrics, out)
    return 0


def _independent(args: argparse.Namespace, root: Path, out: Callable[[str], None]) -> int:
    from triage import config
    from triage.training import independent

    version = args.version or artifacts.active_version(root)
    if version is None:
        out(f"no active model in {root}")
        return 1
    model, _ = artifacts.load_version(version, root=root)
    figures = independent.evaluate_independent(
        model, version, root, review_threshold=config.current().review_threshold, out=out
    )
    out(f"model {version}:")
    for line in independent.summary_lines(figures):
        out("  " + line)
    return 0


def _print_summary(version: str, metrics: Mapping[str, Any], out: Callable[[str], None]) -> None:
    held = metrics["held_out"]
    accents = held["by_accents"]
    out(f"model {version}, held-out split ({held['rows']} reports):")
    out(f"  category macro-F1 {held['category']['macro_f1']}  accuracy {held['category']['accuracy']}")
    out(f"  critical recall {held['critical']['recall']} (model only {held['critical']['recall_model_only']})"
        f"  precision {held['critical']['precision']}")  # fmt: skip
    out(f"  urgency accuracy {held['urgency']['accuracy']}  macro-F1 {held['urgency']['macro_f1']}")
    out(f"  accented {accents['accented']['category_accuracy']} vs unaccented "
        f"{accents['unaccented']['category_accuracy']} (gap {accents['accuracy_gap']})")  # fmt: skip
    for line in summary_lines(metrics.get("external", {})):
        out("  " + line)


if __name__ == "__main__":
    sys.exit(main())
