"""Applying the clinic's configuration: all or nothing, never outside clinic-forms/,
and the last good forms kept whenever a new set does not load."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicKeyPair, ClinicPublicKey
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.sync.client import ClinicClient
from kiosk.sync.config import (
    CLINIC_FILE,
    FORMS_DIR,
    ClinicRecord,
    ConfigError,
    apply_config,
    clinic_forms_dir,
    is_plain_name,
    read_clinic_record,
)
from kiosk.sync.wire import Config, parse_config
from kiosk.sync.worker import Syncer

from .fake_clinic import FakeClinic, shipped_config

pytestmark = pytest.mark.clinic


def config_of(data: dict[str, Any], etag: str | None = None) -> Config:
    return parse_config(json.loads(json.dumps(data)), etag)


@pytest.fixture
def good(clinic_keys: ClinicKeyPair) -> dict[str, Any]:
    data = shipped_config("v1")
    data["clinic_keys"] = [clinic_keys.public.to_text()]
    return data


@pytest.fixture
def applied(
    good: dict[str, Any],
    data_dir: Path,
    store: TabletStore,
    identity: DeviceIdentity,
    enrolled: ClinicRecord,
) -> dict[str, bytes]:
    """Version v1 applied; the files of clinic-forms/ as they then were."""
    apply_config(config_of(good, '"v1"'), data_dir, store, identity)
    return snapshot(data_dir / FORMS_DIR)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_good_configuration_is_written_and_loads(
    applied: dict[str, bytes], good: dict[str, Any], data_dir: Path
) -> None:
    forms = clinic_forms_dir(data_dir)
    assert forms is not None
    assert set(applied) == {*good["forms"], "pathways.yaml"}
    assert "cardiology" in FormLibrary.load(forms).pathways
    record = read_clinic_record(data_dir)
    assert record is not None and record.config_etag == '"v1"'


@pytest.mark.control("H-15-C4")
def test_the_clinic_list_is_saved_encrypted_for_the_day(
    applied: dict[str, bytes], store: TabletStore, identity: DeviceIdentity
) -> None:
    saved = ClinicLists(store, identity.derive_key(KEY_PURPOSE)).for_day(dt.date.today())
    assert saved is not None
    assert [a.family_name for a in saved.appointments] == ["Smith"]


@pytest.mark.parametrize(
    "name",
    [
        "../evil.yaml",
        "..\\evil.yaml",
        "/etc/evil.yaml",
        "sub/form.yaml",
        "C:evil.yaml",
        ".hidden.yaml",
        "form..yaml",
        "evil.py",
        "form.yaml.",
        "form.yaml/",
        "pathways.yaml",
        "CON.yaml",
        "nul.form.yaml",
        "",
        "a" * 120 + ".yaml",
    ],
)
def test_a_hostile_file_name_is_refused_and_nothing_changes(
    applied: dict[str, bytes],
    good: dict[str, Any],
    data_dir: Path,
    store: TabletStore,
    identity: DeviceIdentity,
    name: str,
) -> None:
    hostile = {**good, "version": "v2", "forms": {**good["forms"], name: "id: evil\n"}}
    with pytest.raises(ConfigError, match=r"not a plain \.yaml file name") as refused:
        apply_config(config_of(hostile, '"v2"'), data_dir, store, identity)

    assert refused.value.reason == "file_name"
    assert snapshot(data_dir / FORMS_DIR) == applied
    assert not list(data_dir.parent.rglob("evil*"))
    record = read_clinic_record(data_dir)
    assert record is not None and record.config_etag == '"v1"'


def test_plain_names_are_accepted() -> None:
    assert is_plain_name("what_matters.yaml")
    assert is_plain_name("pam-13.v2.yaml")
    assert not is_plain_name("WHAT_MATTERS.YAML")


@pytest.mark.control("H-10-C3")
def test_forms_that_do_not_load_keep_the_last_good_copy(
    applied: dict[str, bytes],
    good: dict[str, Any],
    data_dir: Path,
    store: TabletStore,
    identity: DeviceIdentity,
) -> None:
    broken = {**good, "version": "v2", "forms": {**good["forms"], "ons4.yaml": "id: [unclosed\n"}}
    with pytest.raises(ConfigError, match="do not load") as refused:
        apply_config(config_of(broken, '"v2"'), data_dir, store, identity)

    assert "ons4.yaml" in str(refused.value) and ".clinic-forms-" not in str(refused.value)
    assert snapshot(data_dir / FORMS_DIR) == applied
    assert sorted(p.name for p in data_dir.iterdir() if "forms" in p.name) == [FORMS_DIR]


@pytest.mark.control("H-10-C3")
def test_a_pathway_naming_a_missing_form_keeps_the_last_good_copy(
    applied: dict[str, bytes],
    good: dict[str, Any],
    data_dir: Path,
    store: TabletStore,
    identity: DeviceIdentity,
) -> None:
    forms = {k: v for k, v in good["forms"].items() if k != "ons4.yaml"}
    with pytest.raises(ConfigError, match="ons4"):
        apply_config(config_of({**good, "forms": forms}), data_dir, store, identity)
    assert snapshot(data_dir / FORMS_DIR) == applied


def test_a_bad_clinic_list_changes_nothing(
    applied: dict[str, bytes],
    good: dict[str, Any],
    data_dir: Path,
    store: TabletStore,
    identity: DeviceIdentity,
) -> None:
    forms = {k: v for k, v in good["forms"].items() if k != "about_you.yaml"}
    pathways = good["pathways"].replace(", about_you]", "]")
    bad = {
        **good,
        "forms": forms,
        "pathways": pathways,
        "clinic_list": {"day": dt.date.today().isoformat(), "csv": "who,when\nx,y\n"},
    }
    with pytest.raises(ConfigError, match="clinic list") as refused:
        apply_config(config_of(bad), data_dir, store, identity)
    assert refused.value.reason == "clinic_list"
    assert snapshot(data_dir / FORMS_DIR) == applied


@pytest.mark.control("H-10-C3")
def test_an_update_interrupted_between_the_two_renames_is_repaired(
    applied: dict[str, bytes], data_dir: Path
) -> None:
    (data_dir / FORMS_DIR).rename(data_dir / (FORMS_DIR + ".previous"))

    forms = clinic_forms_dir(data_dir)

    assert forms == data_dir / FORMS_DIR
    assert snapshot(forms) == applied


def test_a_new_clinic_key_is_used_for_new_sessions(
    applied: dict[str, bytes],
    good: dict[str, Any],
    data_dir: Path,
    store: TabletStore,
    identity: DeviceIdentity,
) -> None:
    rotated = ClinicKeyPair.generate()
    apply_config(
        config_of({**good, "clinic_keys": [rotated.public.to_text()]}), data_dir, store, identity
    )
    assert ClinicPublicKey.load(data_dir / "clinic.pub").id == rotated.id
    assert store.clinic_key is not None and store.clinic_key.id == rotated.id


def test_without_a_clinic_record_nothing_is_applied(
    good: dict[str, Any], data_dir: Path, store: TabletStore, identity: DeviceIdentity
) -> None:
    assert not (data_dir / CLINIC_FILE).exists()
    with pytest.raises(ConfigError, match="Enrol"):
        apply_config(config_of(good), data_dir, store, identity)
    assert clinic_forms_dir(data_dir) is None


def test_sync_fetches_with_the_etag_and_keeps_the_last_good_copy_on_a_bad_one(
    store: TabletStore,
    client: ClinicClient,
    data_dir: Path,
    fake: FakeClinic,
    enrolled: ClinicRecord,
) -> None:
    syncer = Syncer(store, client, data_dir, rng=random.Random(1))
    assert syncer.sync_once().config == "applied"
    good_files = snapshot(data_dir / FORMS_DIR)
    assert syncer.sync_once().config == "unchanged"
    assert fake.requests[-1].headers["If-None-Match"] == '"v1"'

    fake.config = {**fake.config, "version": "v2", "forms": {"../evil.yaml": "id: evil\n"}}
    report = syncer.sync_once()

    assert report.ok and report.config == "refused"
    assert report.config_error is not None and "../evil.yaml" in report.config_error
    assert snapshot(data_dir / FORMS_DIR) == good_files
    assert not (data_dir.parent / "evil.yaml").exists()
    assert syncer.sync_once().config == "refused"  # asked again: the clinic may fix it
