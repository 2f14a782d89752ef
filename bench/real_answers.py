"""Precision and recall of `check`, per kind, on hand-labelled real LLM answers.

The answers are public data kept outside the project (../shared/real-answers, 50
prompt files, 3 answers each); the labels (tests/data/labels/*.json, one file per
prompt file, made by reading: see tests/data/labels/GUIDE.md) name every ungrounded
item per kind. A flag is right when it matches a label of its kind in that answer.

    python3 bench/real_answers.py                 # the table
    python3 bench/real_answers.py --show fp --kind task   # the wrong flags of one kind
    python3 bench/real_answers.py --show fn --kind model  # the labelled items not flagged
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass

from _common import ROOT

from cnaps_llm.grounding import check
from cnaps_llm.grounding.links import canonical
from cnaps_llm.grounding.vocab import squash
from cnaps_llm.inputs import case_from_object, normalise

REAL = ROOT.parent / "shared" / "real-answers"
LABELS = ROOT / "tests" / "data" / "labels"
TEXT_KINDS = ("url", "model", "task", "number", "attribution", "venue", "author")
KINDS = (*TEXT_KINDS, "claim", "structure")


@dataclass
class Score:
    labels: int = 0
    flags: int = 0
    flags_right: int = 0
    labels_found: int = 0

    @property
    def precision(self) -> float | None:
        return self.flags_right / self.flags if self.flags else None

    @property
    def recall(self) -> float | None:
        return self.labels_found / self.labels if self.labels else None


def _same_text(kind: str, flagged: str, label: str) -> bool:
    if kind in ("url", "attribution"):
        if canonical(flagged) == canonical(label):
            return True
    a, b = squash(flagged), squash(label)
    if not a or not b:
        return flagged.strip().lower() == label.strip().lower()
    return a == b or (min(len(a), len(b)) >= 2 and (a in b or b in a))


def _lines(v) -> set[int]:  # type: ignore[no-untyped-def]
    return {v.line, *getattr(v, "lines", ())}


def judge(violations: list, label: dict) -> dict[str, tuple[int, int, int, int, list, list]]:  # type: ignore[type-arg]
    """Per kind: (labels, flags, flags right, labels found, wrong flags, missed labels)."""
    out = {}
    for kind in KINDS:
        items = label.get(kind, [])
        flags = [v for v in violations if v.kind == kind and getattr(v, "severity", "error") == "error"]
        if kind == "claim":
            # one flag per line is one claim; a labelled claim is found when a flag is on its line
            flag_lines: dict[int, object] = {}
            for v in flags:
                flag_lines.setdefault(v.line, v)
            label_lines = defaultdict(list)
            for line, anchor in items:
                label_lines[line].append(anchor)
            right = [ln for ln in flag_lines if any(ln2 in label_lines for ln2 in _lines(flag_lines[ln]))]
            found = [(ln, a) for ln, anchors in label_lines.items() for a in anchors if any(ln in _lines(v) for v in flags)]
            wrong = [flag_lines[ln] for ln in flag_lines if ln not in right]
            missed = [(ln, a) for ln, anchors in label_lines.items() for a in anchors if (ln, a) not in found]
            out[kind] = (len(items), len(flag_lines), len(right), len(found), wrong, missed)
            continue
        distinct: dict[str, object] = {}
        for v in flags:
            distinct.setdefault(squash(v.text) or v.text, v)
        flagged = list(distinct.values())
        right = [v for v in flagged if any(_same_text(kind, v.text, it) for it in items)]  # type: ignore[attr-defined]
        found = [it for it in items if any(_same_text(kind, v.text, it) for v in flagged)]  # type: ignore[attr-defined]
        wrong = [v for v in flagged if v not in right]
        missed = [it for it in items if it not in found]
        out[kind] = (len(items), len(flagged), len(right), len(found), wrong, missed)
    return out


def run(show: str | None = None, kind: str | None = None) -> dict[str, Score]:
    scores = {k: Score() for k in KINDS}
    for label_file in sorted(LABELS.glob("*.json")):
        data = json.loads((REAL / f"{label_file.stem}.json").read_text(encoding="utf-8"))
        case = case_from_object(data, default_id=label_file.stem)
        labels = json.loads(label_file.read_text(encoding="utf-8"))
        for who, label in labels.items():
            text = normalise(data["responses"][who])
            result = judge(check(text, case), label)
            for k, (n_labels, n_flags, n_right, n_found, wrong, missed) in result.items():
                s = scores[k]
                s.labels += n_labels
                s.flags += n_flags
                s.flags_right += n_right
                s.labels_found += n_found
                if show and (kind is None or kind == k):
                    lines = text.split("\n")
                    for v in wrong if show == "fp" else []:
                        print(f"FP {k:<11} {label_file.stem}/{who} line {v.line}: {v.text!r}  | {lines[v.line - 1][:160]}")
                    for it in missed if show == "fn" else []:
                        print(f"FN {k:<11} {label_file.stem}/{who}: {it!r}")
    return scores


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=("fp", "fn"))
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"{REAL} is absent: nothing to measure", file=sys.stderr)
        return 2
    scores = run(args.show, args.kind)
    if args.json:
        print(json.dumps({k: {"labels": s.labels, "flags": s.flags, "precision": s.precision, "recall": s.recall} for k, s in scores.items()}, indent=2))
        return 0
    answers = sum(len(json.loads(p.read_text())) for p in LABELS.glob("*.json"))
    print(f"{answers} labelled answers, {len(list(LABELS.glob('*.json')))} prompt files\n")
    print("| kind | labelled | flagged | right | precision | recall |\n|---|---|---|---|---|---|")
    for k, s in scores.items():
        print(f"| {k} | {s.labels} | {s.flags} | {s.flags_right} | {_pct(s.precision)} | {_pct(s.recall)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
