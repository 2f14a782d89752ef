"""The eval thresholds, declared once.

Invariant: ``THRESHOLDS`` is the only place a threshold is named. The ``Thresholds``
model (evals.py), the ``[tool.cnaps-llm.eval]`` keys, the ``--min-*``/``--max-*`` flags
of ``eval``, the sentences for a missed threshold and the report rows are all derived
from it. This module imports nothing heavy: the CLI reads it at start-up to build flags.
"""

from __future__ import annotations

from typing import Literal, NamedTuple


class Threshold(NamedTuple):
    """A limit on one eval metric: ``min`` fails below it, ``max`` above it."""

    # a NamedTuple, not a dataclass: every command imports this, and building a dataclass costs ~0.5 ms
    direction: Literal["min", "max"]
    metric: str  # a field of evals.Metrics
    label: str  # how reports and messages name the metric
    rate: bool = True  # a share in [0, 1]: the limit is bounded to it and shown as a percentage

    lowest = 0.0  # every metric with a threshold is a share, a count or a mean: never negative

    @property
    def highest(self) -> float | None:
        return 1.0 if self.rate else None

    def problem(self, limit: float) -> str | None:
        """Why ``limit`` cannot be this threshold, or None."""
        if limit < self.lowest or (self.highest is not None and limit > self.highest):
            return f"must be between {self.lowest:g} and {self.highest:g}" if self.highest is not None else f"must be {self.lowest:g} or more"
        return None

    @property
    def name(self) -> str:
        """The config key and JSON field, e.g. ``min_grounded_rate``."""
        return f"{self.direction}_{self.metric}"

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def help(self) -> str:
        side = "below" if self.direction == "min" else "above"
        bounds = " (0-1)" if self.rate else ""
        return f"Fail when {self.label} is {side} this{bounds}; overrides {self.name} in [tool.cnaps-llm.eval]."

    def show(self, value: float) -> str:
        """A value of this metric as reports print it."""
        return f"{value:.1%}" if self.rate else f"{value:.2f}"

    def bound(self, limit: float) -> str:
        """The limit as a report's threshold column shows it, e.g. ``≥ 95.0%``."""
        return ("≥ " if self.direction == "min" else "≤ ") + self.show(limit)

    def missed(self, value: float | None, limit: float | None) -> str | None:
        """The sentence saying how ``value`` misses ``limit``, or None when it does not (or no limit is set)."""
        if limit is None:
            return None
        if value is None:
            return f"{self.label} could not be measured (no data) but a threshold of {limit} is set"
        if self.direction == "min" and value < limit:
            return f"{self.label} {value:g} is below the minimum {limit:g}"
        if self.direction == "max" and value > limit:
            return f"{self.label} {value:g} is above the maximum {limit:g}"
        return None


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("min", "grounded_rate", "grounded rate"),
    Threshold("min", "first_pass_rate", "first-pass rate"),
    Threshold("max", "mean_attempts", "mean attempts", rate=False),
    Threshold("min", "link_precision", "link precision"),
    Threshold("min", "recommended_coverage", "recommended-model coverage"),
    Threshold("min", "citation_recall", "expected-citation recall"),
    Threshold("min", "task_accuracy", "expected-task accuracy"),
    Threshold("min", "quality_rate", "quality rate"),
)

BY_NAME: dict[str, Threshold] = {t.name: t for t in THRESHOLDS}
