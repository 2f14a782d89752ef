"""cnaps-llm from Python, on a bundled example: no key and no network needed.

Run it with `python3 examples/api_example.py`. The bundled examples come with recorded
responses, which `generate` and `evaluate` replay; with OPENAI_API_KEY (or OPENAI_BASE_URL)
set, `generate` calls the model for a case that has no recording.
"""

import cnaps_llm
from cnaps_llm.resources import examples

# 1. A case: a prompt file (a path, its text, or a dict in the JSON form all work too).
case = cnaps_llm.load_case(examples("003")[0])
print(f"case {case.id}: {len(case.sources)} sources")

# 2. Generate: draft, check, re-ask with the violations quoted, until grounded.
result = cnaps_llm.generate(case)
print(f"{result.status} after {len(result.attempts)} attempt(s)")
for attempt in result.attempts:
    for v in attempt.violations:
        print(f"  attempt {attempt.number} rejected: [{v.kind}] {v.text!r}")

# 3. Check any answer against the case: pure, no model call. [] means grounded.
assert cnaps_llm.check(result.answer, case) == []
invented = result.answer + "\nA better model is described at https://example.com/super-model.\n"
for v in cnaps_llm.check(invented, case):
    print(f"invented: line {v.line} [{v.kind}] {v.text!r}: {v.message}")

# 4. Evaluate a dataset (replayed, like `cnaps-llm eval`), judged against thresholds.
report = cnaps_llm.evaluate(examples("all"), thresholds={"min_grounded_rate": 1.0, "max_mean_attempts": 1.5})
m = report.metrics
print(f"eval: {m.cases} cases, grounded {m.grounded_rate:.0%}, first pass {m.first_pass_rate:.0%}, "
      f"mean attempts {m.mean_attempts:.2f}; {'passed' if report.passed else 'FAILED'}")
