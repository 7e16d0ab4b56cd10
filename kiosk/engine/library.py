"""All the forms and pathways a site uses, loaded and checked together.

A library is built from one or more folders (the shipped ``forms/`` and,
optionally, a site's own folder of licensed forms such as PAM-13). It keeps
every version of every form, so a response can always be re-scored against
the exact definition that collected it (found by its content hash).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.engine.errors import FormError, LicenceRequiredError, Problem, UnknownFormError
from kiosk.engine.facts import Measure, collect_measures
from kiosk.engine.form import Form
from kiosk.engine.loader import load_form, load_pathways
from kiosk.engine.schema import Pathway

PATHWAYS_FILE = "pathways.yaml"


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class LoadReport:
    """What :func:`check_paths` found: the forms that loaded and every problem."""

    forms: list[Form]
    pathway_files: int
    problems: list[Problem]


class FormLibrary:
    def __init__(self, forms: Iterable[Form], pathways: Mapping[str, Pathway] | None = None):
        self._versions: dict[str, list[Form]] = {}
        self._by_hash: dict[str, Form] = {}
        forms = list(forms)
        for form in forms:
            self._versions.setdefault(form.id, []).append(form)
            self._by_hash[form.hash] = form
        for form in forms:
            # Declaring facts (facts.py) changes the hash but not what was asked or how it
            # scores: a response stored under the hash from before still opens.
            if form.earlier_hash:
                self._by_hash.setdefault(form.earlier_hash, form)
        for versions in self._versions.values():
            versions.sort(key=lambda f: version_key(f.version))
        self.pathways: dict[str, Pathway] = dict(pathways or {})

    @classmethod
    def load(cls, *folders: Path) -> FormLibrary:
        """Load every form and pathway file in ``folders``; FormError if any is invalid."""
        report = check_paths([str(folder) for folder in folders])
        if report.problems:
            raise FormError(report.problems)
        pathways: dict[str, Pathway] = {}
        for folder in folders:
            file = Path(folder) / PATHWAYS_FILE
            if file.is_file():
                spec, _ = load_pathways(file)
                pathways.update({p.id: p for p in spec.pathways})
        return cls(report.forms, pathways)

    def ids(self) -> list[str]:
        return sorted(self._versions)

    def forms(self) -> list[Form]:
        """The newest version of every form, by id."""
        return [self._versions[form_id][-1] for form_id in self.ids()]

    def get(self, form_id: str, version: str | None = None) -> Form:
        versions = self._versions.get(form_id)
        if not versions:
            known = ", ".join(self.ids()) or "none"
            raise UnknownFormError(f"no form with id '{form_id}' (known: {known})")
        if version is None:
            return versions[-1]
        for form in versions:
            if form.version == version:
                return form
        raise UnknownFormError(f"form '{form_id}' has no version {version}")

    def measures(self) -> tuple[Measure, ...]:
        """Every measure the newest forms declare, in the order patients meet the forms."""
        order: dict[str, int] = {}
        for pathway in self.pathways.values():
            for form_id in pathway.forms:
                order.setdefault(form_id, len(order))
        return collect_measures((form.spec for form in self.forms()), order)

    def by_hash(self, content_hash: str) -> Form:
        try:
            return self._by_hash[content_hash]
        except KeyError:
            raise UnknownFormError(f"no form definition with hash {content_hash}") from None

    def pathway_forms(self, pathway_id: str, licences: Mapping[str, str]) -> list[Form]:
        """The forms of a pathway in order; refuses forms whose site licence is not recorded."""
        pathway = self.pathways.get(pathway_id)
        if pathway is None:
            raise UnknownFormError(f"no pathway '{pathway_id}'")
        forms = [self.get(form_id) for form_id in pathway.forms]
        for form in forms:
            if not form.is_enabled(licences):
                raise LicenceRequiredError(
                    f"pathway '{pathway_id}' includes '{form.id}', which needs a site licence "
                    f"reference: kiosk forms enable {form.licence_key} --licence REF"
                )
        return forms

    def pathway_languages(
        self, pathway_id: str, licences: Mapping[str, str], *, drafts: bool = False
    ) -> list[str]:
        """Languages every form of the pathway is written in (English first).

        A draft translation counts only when ``drafts`` is set: a patient must not
        meet an unchecked translation unless the clinic has chosen to allow it."""
        common: set[str] | None = None
        for form in self.pathway_forms(pathway_id, licences):
            usable = {
                code for code, status in form.spec.languages.items() if drafts or status != "draft"
            }
            common = usable if common is None else common & usable
        return sorted(common or (), key=lambda code: (code != "en", code))


def _files(paths: Iterable[str]) -> tuple[list[Path], list[Path], list[Problem]]:
    forms: list[Path] = []
    pathways: list[Path] = []
    problems: list[Problem] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            children = [*path.glob("*.yaml"), *path.glob("*.yml")]
            for child in sorted(children):
                (pathways if child.name == PATHWAYS_FILE else forms).append(child)
        elif path.is_file():
            (pathways if path.name == PATHWAYS_FILE else forms).append(path)
        else:
            problems.append(Problem(name, 1, "no such file or folder"))
    return forms, pathways, problems


def check_paths(paths: Iterable[str], known: Iterable[Form] = ()) -> LoadReport:
    """Check form and pathway files, and the references between them.

    ``known``: forms already loaded elsewhere (e.g. the shipped ones) that
    pathways and follow-up forms may refer to.
    """
    form_files, pathway_files, problems = _files(paths)
    forms: list[Form] = []
    for file in form_files:
        try:
            forms.append(load_form(file))
        except FormError as exc:
            problems.extend(exc.problems)
    seen: dict[tuple[str, str], Form] = {}
    for form in forms:
        key = (form.id, form.version)
        if key in seen:
            problems.append(
                Problem(
                    str(form.path),
                    form.line_of(("version",)),
                    f"form '{form.id}' version {form.version} is also defined in "
                    f"{seen[key].path}; give this one a new version",
                )
            )
        seen[key] = form
    available = {f.id: f for f in known} | {f.id: f for f in forms}
    for form in forms:
        baseline = form.spec.baseline
        if baseline is None:
            continue
        origin = available.get(baseline.form)
        if origin is None:
            line = form.line_of(("baseline", "form"))
            problems.append(
                Problem(str(form.path), line, f"baseline form '{baseline.form}' is not loaded")
            )
            continue
        names = set(origin.items) | {s.id for s in origin.spec.scores}
        for j, name in enumerate(baseline.items):
            if name not in names:
                line = form.line_of(("baseline", "items", j))
                problems.append(
                    Problem(
                        str(form.path),
                        line,
                        f"baseline item '{name}' is not in form '{baseline.form}'",
                    )
                )
    for file in pathway_files:
        try:
            spec, located = load_pathways(file)
        except FormError as exc:
            problems.extend(exc.problems)
            continue
        for i, pathway in enumerate(spec.pathways):
            for j, form_id in enumerate(pathway.forms):
                if form_id not in available:
                    problems.append(
                        located.problem(
                            ("pathways", i, "forms", j),
                            f"pathway '{pathway.id}' names form '{form_id}', which is not loaded",
                        )
                    )
            if len(set(pathway.forms)) != len(pathway.forms):
                problems.append(
                    located.problem(
                        ("pathways", i, "forms"), f"pathway '{pathway.id}' lists a form twice"
                    )
                )
    return LoadReport(forms, len(pathway_files), sorted(set(problems)))
