"""One patient's questions on screen: begun, answered one at a time, in a language
they may change part-way, reviewed and submitted.

Every answer is saved (sealed, durable) through the background helper before the
next question is shown; that screen is built ahead while the patient reads
(:mod:`kiosk.ui.ahead`), so the save's completion only swaps it in. Navigation and
skip logic are :class:`~kiosk.journey.flow.Flow`; which pathway and language a
session starts in are :mod:`kiosk.journey.session_start`.
A session on one of today's appointments reports how far its patient has got
(``progress``: checked in as it begins, started at the first answer saved), for the
clinic's day list; the window passes that on to sync, which sends it best effort.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.engine import AnswerError, FormLibrary
from kiosk.journey import Journey, Outcome
from kiosk.journey.flow import Flow, Step
from kiosk.journey.linking import PatientLink
from kiosk.journey.session_start import pathway_for, question_language, usable_languages
from kiosk.store import TabletStore
from kiosk.ui.ahead import ScreenAhead, after_next_paint, soon
from kiosk.ui.background import Background
from kiosk.ui.idle import IdleTimers
from kiosk.ui.language_screen import LanguageScreen
from kiosk.ui.screens import QuestionScreen, ReviewScreen
from kiosk.ui.speech import Speaker
from kiosk.ui.translations import Translations
from kiosk.vocabulary import CHECKED_IN, STARTED

log = logging.getLogger(__name__)


class _Starting:
    """A session being started on the background helper; ``ended`` (as ``reason``) when
    the kiosk was reset before its first question could be shown."""

    def __init__(self) -> None:
        self.ended = False
        self.reason: str | None = None


class QuestionSession:
    """The question, review and part-way language screens of one kiosk window."""

    def __init__(
        self,
        store: TabletStore,
        library: FormLibrary,
        licences: Mapping[str, str],
        translations: Translations,
        background: Background,
        speaker: Speaker,
        timers: IdleTimers,
        *,
        drafts: bool,
        show: Callable[[QWidget], None],
        page: Callable[[], QWidget | None],
        language: Callable[[], str],
        use_language: Callable[[str], None],
        started: Callable[[], None],
        submitted: Callable[[Outcome], None],
        abandoned: Callable[[], None],
        failed: Callable[[Exception], None],
        progress: Callable[[str, str], None] = lambda _appointment, _stage: None,
        hold: Callable[[QWidget], None] | None = None,
        drop: Callable[[QWidget], None] = lambda screen: screen.deleteLater(),
    ) -> None:
        """``hold`` puts a screen built ahead where it will be shown, hidden; ``drop``
        deletes one that will not be shown. Without ``hold`` nothing is built ahead."""
        self._store, self._library, self._licences = store, library, licences
        self._translations, self._drafts = translations, drafts
        self._background, self._speaker, self._timers = background, speaker, timers
        self._show, self._page = show, page
        self._language, self._use_language = language, use_language
        self._started, self._submitted, self._abandoned = started, submitted, abandoned
        self._failed = failed
        self._progress = progress
        self._not_yet_started: str | None = None  # the appointment, until a first answer
        self.flow: Flow | None = None
        self._starting: _Starting | None = None  # a session on its way to its first question
        self.languages: list[str] = []  # those the patient may switch to part-way
        self._unsaved: Any = None  # a choice not yet saved, kept across a change of language
        self._ahead = ScreenAhead(hold, drop) if hold is not None else None
        self._foreseen: tuple[QWidget, str] | None = None  # the screen and answer built for

    # ------------------------------------------------------------ beginning and ending
    def begin(
        self, link: PatientLink, tablet_pathway: str, *, assisted_by: str | None = None
    ) -> None:
        """Start a sealed session for ``link`` (in the background), then its first question;
        ``assisted_by``: the member of staff completing it with the patient, if one is."""
        pathway = pathway_for(link, tablet_pathway)
        offered = self._library.pathway_languages(pathway, self._licences, drafts=self._drafts)
        language = question_language(pathway, self._language(), offered)
        self.languages = usable_languages(
            offered, self._translations.available(drafts=self._drafts)
        )
        store, library, licences = self._store, self._library, self._licences
        if link.appointment is not None:
            self._not_yet_started = link.appointment.appointment_id
            self._progress(self._not_yet_started, CHECKED_IN)

        def start() -> Journey:
            journey = Journey(store, library, pathway, licences, language=language)
            journey.link_patient(link.record())
            if assisted_by is not None:
                journey.assisted_by(assisted_by)
            return journey

        starting = self._starting = _Starting()
        self._background.run(start, lambda journey: self._begun(journey, starting), self._failed)

    def _begun(self, journey: Journey, starting: _Starting) -> None:
        if starting.ended:
            # The kiosk was reset while the session started: nothing of it is shown, and
            # it is sealed as the reset would have sealed it, had it come a moment later.
            reason = starting.reason
            if reason is not None:
                self._background.run(
                    lambda: journey.abandon(reason), lambda _: self._abandoned(), self._failed
                )
            return
        self._starting = None
        self._started()
        self.flow = Flow(journey)
        self.show_step()

    def end(self, reason: str | None) -> None:
        """Nothing of the session stays; an unfinished one is sealed as ``reason`` if given."""
        flow, self.flow = self.flow, None
        if self._starting is not None:
            self._starting.ended, self._starting.reason = True, reason
            self._starting = None
        self._drop_ahead()  # it may hold this patient's earlier answer to a question
        self._unsaved = None
        self._not_yet_started = None
        if flow is not None and reason is not None:
            self._background.run(
                lambda: flow.journey.abandon(reason),
                lambda _: self._abandoned(),
                self._failed,
            )

    # ------------------------------------------------------------ questions
    def show_step(self) -> None:
        flow = self.flow
        assert flow is not None
        steps, index = flow.where()
        step = steps[index] if index < len(steps) else None
        position = (index + 1, len(steps))
        key = self._ahead_key(flow, steps, step)
        screen = self._ahead.take(key) if self._ahead else None
        if isinstance(screen, ReviewScreen):
            screen.show_answers(flow)  # built before the last answer was saved
        elif isinstance(screen, QuestionScreen):
            screen.show_position(*position)
        elif step is None:
            screen = self._review_screen(flow, steps)
        else:
            screen = self._question_screen(flow, step, position)
        self._show(screen)
        if self._ahead is not None and isinstance(screen, QuestionScreen):
            self._build_ahead_for(flow, screen)

    def _build_ahead_for(self, flow: Flow, shown: QuestionScreen) -> None:
        """Once ``shown`` is painted, build the screen its Next leads to; again each time the
        patient taps an answer (which may switch questions on or off), once that tap shows:
        a tapped button repaints itself before the tap is handed on, so on the next turn of
        the event loop (waiting for its next paint would wait for the next tap)."""
        after_next_paint(shown, lambda: self._foresee(flow, shown))
        if shown.choices is not None:
            shown.choices.buttonClicked.connect(
                lambda button: soon(button, lambda: self._foresee(flow, shown))
            )

    def _foresee(self, flow: Flow, shown: QuestionScreen) -> None:
        """Build the screen ``shown``'s answer as it stands leads to, and remember that it is
        built, so that Next with that answer need not work it out again."""
        value = shown.value()
        if self._build_ahead(flow, shown, value):
            self._foreseen = (shown, repr(value))

    def _on_language(self) -> Callable[[], None] | None:
        return self.ask_language if len(self.languages) > 1 else None

    def _review_screen(self, flow: Flow, steps: list[Step]) -> ReviewScreen:
        return ReviewScreen(
            flow, self.change, self.submit, on_language=self._on_language(), steps=steps
        )

    def _question_screen(self, flow: Flow, step: Step, position: tuple[int, int]) -> QuestionScreen:
        return QuestionScreen(
            flow,
            self.answer,
            self.go_back,
            speaker=self._speaker,
            on_language=self._on_language(),
            step=step,
            position=position,
        )

    # ------------------------------------------------------------ the next screen, ahead
    def _ahead_key(self, flow: Flow, steps: list[Step], step: Step | None) -> tuple[Any, ...]:
        """Everything a screen shows that may differ from one built earlier: a question's
        number of questions and the review's answers are set as it is shown."""
        shown: Any = tuple(steps)  # the review: a row for each question
        if step is not None:
            shown = (step, repr(flow.journey.answers(step.form_id).get(step.item_id)))
        return (id(flow), flow.journey.language, self._on_language() is None, shown)

    def _build_ahead(self, flow: Flow, page: QWidget, raw: Any) -> bool:
        """Build the screen Next leads to from ``page``, were it answered ``raw``; True when
        that screen is ready."""
        self._foreseen = None
        if self._ahead is None or self.flow is not flow or self._page() is not page:
            return False  # the patient moved on, or the session ended, meanwhile
        try:
            steps, index = flow.following(raw)
        except AnswerError:
            return False  # refused when saved; the patient stays where they are
        step = steps[index] if index < len(steps) else None
        key = self._ahead_key(flow, steps, step)
        if self._ahead.holds(key):
            return True
        if step is None:
            self._ahead.keep(self._review_screen(flow, steps), key)
        else:
            self._ahead.keep(self._question_screen(flow, step, (index + 1, len(steps))), key)
        return True

    def _drop_ahead(self) -> None:
        self._foreseen = None
        if self._ahead is not None:
            self._ahead.drop()

    def answer(self, value: Any) -> None:
        flow, page = self.flow, self._page()
        assert flow is not None and isinstance(page, QuestionScreen)
        step = page.step
        if flow.item(step).type == "info":
            flow.next()
            self.show_step()
            return

        def save() -> Any:
            return flow.journey.answer(step.form_id, step.item_id, value)

        def saved(_: Any) -> None:
            if self.flow is not flow:
                # The session ended (timed out, reset) while its answer was saved: the
                # answer is in the session, which the reset sealed after it (one helper,
                # in order); this patient's screens are gone and stay gone.
                return
            if self._not_yet_started is not None:
                self._progress(self._not_yet_started, STARTED)
                self._not_yet_started = None
            flow.next()
            self.show_step()

        def refused(exc: Exception) -> None:
            if self.flow is not flow:  # ended meanwhile: its screen is gone
                if not isinstance(exc, AnswerError):
                    log.error("saving an ended session's answer failed: %s", type(exc).__name__)
                return
            page.next.setEnabled(True)
            if isinstance(exc, AnswerError):
                page.show_problem(flow.journey.problem_text(exc))
            else:
                self._failed(exc)

        self._background.run(save, saved, refused)
        page.next.setEnabled(False)  # the save is on its way first; no second tap meanwhile
        if self._foreseen != (page, repr(value)):
            # While the answer is saved on the background thread: the screen it leads to.
            self._build_ahead(flow, page, value)

    def go_back(self) -> None:
        assert self.flow is not None
        if self.flow.back():
            self.show_step()

    def change(self, step: Step) -> None:
        assert self.flow is not None
        self.flow.go_to(step)
        self.show_step()

    def submit(self) -> None:
        flow = self.flow
        assert flow is not None
        self._timers.idle.stop()
        self._background.run(flow.journey.submit, self._sealed, self._failed)

    def _sealed(self, outcome: Outcome) -> None:
        self.flow = None
        self._drop_ahead()
        self._submitted(outcome)

    # ------------------------------------------------------------ language, part-way
    def ask_language(self) -> None:
        """The Language button: the choice of language again, the current one shown chosen."""
        page = self._page()
        self._unsaved = page.value() if isinstance(page, QuestionScreen) else None
        self._show(
            LanguageScreen(
                self.languages,
                self.change_language,
                speaker=self._speaker,
                translations=self._translations,
                current=self._language(),
            )
        )

    def change_language(self, code: str) -> None:
        """Back to the same question in ``code``: every answer is kept (they are codes)."""
        flow = self.flow
        assert flow is not None
        if code != self._language():
            self._drop_ahead()
            self._use_language(code)
        language = self._language()
        if flow.journey.language == language:
            self._show_step_again(flow)
            return
        self._background.run(
            lambda: flow.journey.change_language(language),
            lambda _: self._show_step_again(flow),
            self._failed,
        )

    def _show_step_again(self, flow: Flow) -> None:
        unsaved, self._unsaved = self._unsaved, None
        if self.flow is not flow:
            return  # the session ended (timed out) meanwhile
        self.show_step()
        page = self._page()
        if unsaved is not None and isinstance(page, QuestionScreen) and page.input is not None:
            page.input.set_value(unsaved)
