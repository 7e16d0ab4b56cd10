"""Where the patient is in a pathway: one question per screen, Back and Next.

Pure Python over a :class:`Journey`, so the screens hold no navigation logic
and it can be tested without a window. Positions skip items that skip logic
has switched off, live: answering an earlier question can add or remove later
ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from kiosk.engine.schema import Item
from kiosk.journey.journey import Journey

AS_ANSWERED: Final = object()
"""For :meth:`Flow.following`: the current question as answered so far."""


@dataclass(frozen=True)
class Step:
    form_id: str
    item_id: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.form_id, self.item_id)


class Flow:
    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self._index = 0

    def steps(self, assume: Step | None = None, answer: Any = None) -> list[Step]:
        """Every item the patient will be asked, in order, given the answers so far (and,
        with ``assume``, as though ``answer`` had been given to it; nothing is saved)."""
        return [
            Step(form.id, item_id)
            for form in self.journey.forms
            for item_id in self.journey.enabled_items(
                form.id,
                {assume.item_id: answer} if assume and assume.form_id == form.id else None,
            )
        ]

    @property
    def current(self) -> Step | None:
        steps = self.steps()
        return steps[self._index] if self._index < len(steps) else None

    def where(self) -> tuple[list[Step], int]:
        """:meth:`steps` and the index of the current one (their length: the review), worked
        out once for a screen that needs both."""
        steps = self.steps()
        return steps, min(self._index, len(steps))

    def item(self, step: Step) -> Item:
        return self.journey.form(step.form_id).items[step.item_id]

    def position(self) -> tuple[int, int]:
        """(question number, how many questions) for "Question 3 of 17"; info pages count."""
        steps = self.steps()
        return min(self._index + 1, len(steps)), len(steps)

    @property
    def at_review(self) -> bool:
        return self._index >= len(self.steps())

    def next(self) -> None:
        self._index = min(self._index + 1, len(self.steps()))

    def following(self, raw: Any = AS_ANSWERED) -> tuple[list[Step], int]:
        """Where Next would lead, were the current question answered ``raw`` (by default,
        as answered so far): the steps as they would then be, and the index of the one Next
        shows (their length: the review). Nothing is saved; AnswerError if ``raw`` is not
        allowed."""
        step = self.current
        if step is None or self.item(step).type == "info" or raw is AS_ANSWERED:
            steps = self.steps()
        else:
            form = self.journey.form(step.form_id)
            steps = self.steps(step, form.normalise(step.item_id, raw))
        return steps, min(self._index + 1, len(steps))

    def back(self) -> bool:
        """Go back one question; False at the first one."""
        if self._index == 0:
            return False
        self._index -= 1
        return True

    def go_to(self, step: Step) -> None:
        """Jump to a question (the review screen's "Change")."""
        self._index = self.steps().index(step)

    def go_to_review(self) -> None:
        self._index = len(self.steps())
