"""What a call costs, and a run-wide cost budget.

Invariant: prices come from the maintained ``genai-prices`` package when it knows the
model, else from the dated table in ``data/prices.json``; an unknown model costs
``None`` (shown as "—"), never a guess. Hand-written replies cost nothing real.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from .models import Usage

BATCH_DISCOUNT = 0.5  # the OpenAI Batch API bills half the online price


@cache
def table() -> dict[str, Any]:
    return json.loads(files("cnaps_llm").joinpath("data", "prices.json").read_text(encoding="utf-8"))


def _from_table(model: str, usage: Usage) -> float | None:
    models = table()["models"]
    # a dated snapshot ("gpt-4o-mini-2024-07-18") costs what its longest listed prefix costs
    prefixes = [k for k in models if model == k or model.startswith(k + "-")]
    if not prefixes:
        return None
    entry = models[max(prefixes, key=len)]
    return usage.prompt_tokens * entry["input_per_mtok"] / 1e6 + usage.completion_tokens * entry["output_per_mtok"] / 1e6


@cache
def _maintained(model: str) -> Any | None:
    """genai-prices' model entry, or None when it does not know the model (or is absent)."""
    try:
        from genai_prices import Usage as GUsage
        from genai_prices import calc_price
    except ImportError:
        return None
    try:
        calc_price(GUsage(input_tokens=1, output_tokens=1), model_ref=model, provider_id="openai")
    except (LookupError, ValueError):
        return None
    return calc_price


def source() -> str:
    """Where prices come from, for reports."""
    try:
        import genai_prices  # noqa: F401
    except ImportError:
        return f"cnaps_llm/data/prices.json (as of {table()['as_of']})"
    from importlib.metadata import version

    return f"genai-prices {version('genai-prices')}, else cnaps_llm/data/prices.json (as of {table()['as_of']})"


def estimate_cost(model: str, usage: Usage, *, batch: bool = False) -> float | None:
    calc = _maintained(model)
    if calc is not None:
        from genai_prices import Usage as GUsage

        cost: float | None = float(
            calc(GUsage(input_tokens=usage.prompt_tokens, output_tokens=usage.completion_tokens), model_ref=model, provider_id="openai").total_price
        )
    else:
        cost = _from_table(model, usage)
    if cost is None:
        return None
    return round(cost * (BATCH_DISCOUNT if batch else 1.0), 6)


class Budget:
    """``--max-cost``: no new attempt starts once the run's estimated spend reaches it.

    What is in flight finishes (and is paid for); a call whose model has no price counts
    nothing, so a budget never stops a local server."""

    def __init__(self, limit: float | None) -> None:
        self.limit = limit
        self.spent = 0.0

    def exhausted(self) -> bool:
        return self.limit is not None and self.spent >= self.limit

    def add(self, cost: float | None) -> None:
        self.spent += cost or 0.0
