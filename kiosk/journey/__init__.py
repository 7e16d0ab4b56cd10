"""A patient's journey through a clinic's pathway of forms.

The kiosk screens and ``kiosk simulate`` both drive a :class:`Journey`: it
checks each answer with the questionnaire engine, saves it sealed and durably
through the tablet store, applies skip logic (withdrawing answers that no
longer apply) and, at the end, scores the forms and seals the submission.
"""

from kiosk.journey.journey import Journey, Outcome

__all__ = ["Journey", "Outcome"]
