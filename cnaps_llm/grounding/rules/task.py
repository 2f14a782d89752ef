"""Rule ``task``: every task the answer claims (denoising, tracking…) the question or a source supports."""

from __future__ import annotations

from collections.abc import Iterator

from .. import vocab
from ..index import Grounding
from ..tasks import tasks_in
from . import Finding, Rule, View


def message(term: str, task_name: str) -> str:
    label = f'"{term}"' if term.lower() == task_name else f'"{term}" ({task_name})'
    return f"The task {label} is not mentioned by the question or any source; describe only tasks they support."


def find(view: View, g: Grounding) -> Iterator[Finding]:
    all_tasks = vocab.tasks()
    for task, offset, term in tasks_in(view.text):
        if task not in g.tasks:
            yield Finding(offset, term, message(term, all_tasks[task].name))


RULE = Rule("task", find)
