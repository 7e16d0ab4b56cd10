"""Measures tracked between a baseline and a follow-up visit, and which way is better.

Each measure is read from an answer or a score of one or more forms (a MYCaW
concern is rated on the baseline form, then on the follow-up form). Staff
summaries, exports and reports all use this one list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    better: str  # "higher" | "lower"
    sources: tuple[tuple[str, str, str], ...]  # (form id, "answer" | "score", item or score id)

    @property
    def columns(self) -> tuple[str, ...]:
        """The export columns holding this measure (``FORM.ITEM`` or ``FORM.SCORE``)."""
        return tuple(f"{form}.{name}" for form, _kind, name in self.sources)


MEASURES = (
    Measure("ons4.life_satisfaction", "Life satisfaction (ONS4)", "higher",
            (("ons4", "answer", "life_satisfaction"),)),
    Measure("ons4.worthwhile", "Worthwhile (ONS4)", "higher",
            (("ons4", "answer", "worthwhile"),)),
    Measure("ons4.happiness", "Happiness (ONS4)", "higher", (("ons4", "answer", "happiness"),)),
    Measure("ons4.anxiety", "Anxiety (ONS4)", "lower", (("ons4", "answer", "anxiety"),)),
    Measure("mycaw.concern_1", "MYCaW concern 1", "lower",
            (("mycaw", "answer", "concern_1_score"),
             ("mycaw_followup", "answer", "concern_1_score"))),
    Measure("mycaw.concern_2", "MYCaW concern 2", "lower",
            (("mycaw", "answer", "concern_2_score"),
             ("mycaw_followup", "answer", "concern_2_score"))),
    Measure("mycaw.wellbeing", "MYCaW wellbeing", "lower",
            (("mycaw", "answer", "wellbeing"), ("mycaw_followup", "answer", "wellbeing"))),
    Measure("semcd6.semcd_mean", "Self-management confidence (SEMCD)", "higher",
            (("semcd6", "score", "semcd_mean"),)),
    Measure("pam.score", "Activation (PAM score)", "higher", (("pam13", "score", "pam_score"),)),
    Measure("pam.level", "Activation (PAM level)", "higher", (("pam13", "score", "pam_level"),)),
)  # fmt: skip

MEASURES_BY_ID = {m.id: m for m in MEASURES}
