"""One patient, one pathway, one sealed session."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.engine import (
    AnswerError,
    Form,
    FormLibrary,
    RaisedFlag,
    ScoredResponse,
    UnknownFormError,
)
from kiosk.engine.answers import PREFER_NOT, Answer
from kiosk.engine.facts import HELP_REQUEST
from kiosk.exchange.entry_route import assisted_record
from kiosk.store.session import SealedSession
from kiosk.store.store import TabletStore
from kiosk.vocabulary import ROUTE_RECORD

LINK_RECORD = "_link/patient"
LANGUAGE_RECORD = "_session/language"
LANGUAGE_STATUS_RECORD = "_session/language_status"
"""How far the session's language can be trusted: "validated" when every form of the
pathway has a checked translation in it (English always), "draft" when any has not."""


def language_status(forms: Iterable[Form], language: str) -> str:
    """The lowest translation status of ``language`` across ``forms``.

    "validated" only when every form declares the language validated; a draft, or a
    form that does not declare the language at all, makes it "draft"."""
    validated = all(form.spec.languages.get(language) == "validated" for form in forms)
    return "validated" if validated else "draft"


@dataclass(frozen=True)
class Outcome:
    """What the thank-you screen needs to know; no answers."""

    submission_id: str
    flags: tuple[RaisedFlag, ...]
    wants_help: bool
    urgent: bool


class Journey:
    def __init__(
        self,
        store: TabletStore,
        library: FormLibrary,
        pathway_id: str,
        licences: Mapping[str, str],
        *,
        language: str = "en",
        baselines: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self._store = store
        self.forms: list[Form] = library.pathway_forms(pathway_id, licences)
        self._by_id = {form.id: form for form in self.forms}
        self._baselines = dict(baselines or {})
        self._answers: dict[str, dict[str, Answer]] = {form.id: {} for form in self.forms}
        manifest = [{"id": f.id, "version": f.version, "hash": f.hash} for f in self.forms]
        self._session: SealedSession | None = store.start_session(pathway_id, manifest)
        self._session.record(LANGUAGE_RECORD, language)
        self._session.record(LANGUAGE_STATUS_RECORD, language_status(self.forms, language))
        self.language = language
        self._languages_used = {language}

    @property
    def submission_id(self) -> str:
        return self._live().id

    def _live(self) -> SealedSession:
        if self._session is None:
            raise RuntimeError("this journey has ended")
        return self._session

    def form(self, form_id: str) -> Form:
        try:
            return self._by_id[form_id]
        except KeyError:
            raise UnknownFormError(f"form '{form_id}' is not in this pathway") from None

    def baseline(self, form_id: str) -> Mapping[str, Any] | None:
        form = self.form(form_id)
        if form.spec.baseline is None:
            return None
        return self._baselines.get(form_id, {})

    def change_language(self, language: str) -> None:
        """The patient chose another language part-way: show the words in it from now on.

        Answers are codes, so none changes. The language is sealed again (the earlier
        record stays, in order); its status is the lowest of every language used in
        this session, as earlier answers were given to those words."""
        session = self._live()
        missing = [form.id for form in self.forms if language not in form.spec.languages]
        if missing:
            raise ValueError(f"{', '.join(missing)} not written in {language!r}")
        self._languages_used.add(language)
        statuses = {language_status(self.forms, used) for used in self._languages_used}
        session.record(LANGUAGE_RECORD, language)
        session.record(LANGUAGE_STATUS_RECORD, "draft" if "draft" in statuses else "validated")
        self.language = language

    # ------------------------------------------------------------ answering

    def link_patient(self, identifiers: Mapping[str, Any]) -> None:
        """Record who the patient is (sealed like an answer; never kept in clear)."""
        session = self._live()
        session.record(LINK_RECORD, dict(identifiers))
        method = str(identifiers.get("method", "unknown"))[:20]
        self._store.log_event("patient_linked", session.id, method=method)

    def assisted_by(self, name: str) -> None:
        """A member of staff completes this session with the patient: sealed like an answer,
        so the clinic stores the route as assisted and by whom (kiosk.vocabulary.ROUTE_RECORD)."""
        self._live().record(ROUTE_RECORD, assisted_record(name))

    def answer(self, form_id: str, item_id: str, raw: Any) -> Answer | None:
        """Check, save (sealed, durable) and apply skip logic. AnswerError if not allowed."""
        form = self.form(form_id)
        session = self._live()
        value = form.normalise(item_id, raw)
        answers = self._answers[form_id]
        session.answer(form_id, item_id, value)
        if value is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = value
        enabled = set(self.enabled_items(form_id))
        for stale in [item for item in answers if item not in enabled]:
            session.answer(form_id, stale, None)
            del answers[stale]
        return value

    def answer_text(self, form_id: str, item_id: str) -> str | None:
        """An answer in the patient's language, as the review screen shows it (None: unanswered)."""
        form = self.form(form_id)
        answer = self._answers[form_id].get(item_id)
        if answer is None:
            return None
        item = form.items[item_id]
        if answer == PREFER_NOT or item.type in ("single_choice", "yes_no", "multi_choice"):
            codes = answer if isinstance(answer, list) else [str(answer)]
            return ", ".join(form.option_text(item_id, code, self.language) for code in codes)
        return str(answer)

    def problem_text(self, error: AnswerError) -> str:
        """What to say beside the field: the form's own message if it has one."""
        form_id = next((f.id for f in self.forms if error.item_id in f.items), None)
        rule = self.form(form_id).items[error.item_id].validation if form_id else None
        if rule is not None and rule.message and self.language in rule.message:
            return rule.message[self.language]
        return error.message

    def answers(self, form_id: str) -> dict[str, Answer]:
        return dict(self._answers[form_id])

    def enabled_items(
        self, form_id: str, assume: Mapping[str, Answer | None] | None = None
    ) -> tuple[str, ...]:
        """The items asked, given the answers so far; with ``assume``, as though those
        answers (None: none) had been given too. Nothing is saved.

        Safe while an answer is being saved on another thread: it reads a copy."""
        form = self.form(form_id)
        answers = {**self._answers[form_id], **(assume or {})}
        present = {item: value for item, value in answers.items() if value is not None}
        return form.enabled_items(present, baseline=self.baseline(form_id))

    def results(self) -> dict[str, ScoredResponse]:
        return {
            form.id: form.evaluate(
                self._answers[form.id], baseline=self.baseline(form.id), strict=False
            )
            for form in self.forms
        }

    # ------------------------------------------------------------ ending

    def submit(self) -> Outcome:
        """Score every form, seal the session as complete, and forget the answers."""
        session = self._live()
        results = self.results()
        summary = {form_id: result.to_json() for form_id, result in results.items()}
        flags = tuple(flag for result in results.values() for flag in result.flags)
        session.submit(summary)
        self._forget()
        return Outcome(
            submission_id=session.id,
            flags=flags,
            wants_help=any(f.category == HELP_REQUEST for f in flags),
            urgent=any(f.severity == "urgent" for f in flags),
        )

    def abandon(self, reason: str = "abandoned") -> str:
        """End without submitting (timed out, walked away): queued as incomplete."""
        session = self._live()
        session.abandon(reason)
        self._forget()
        return session.id

    def _forget(self) -> None:
        for answers in self._answers.values():
            answers.clear()
        self._baselines.clear()
        self._session = None
