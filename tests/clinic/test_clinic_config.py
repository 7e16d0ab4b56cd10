"""The clinic service's settings file: plain errors, the documented keys, and a
service started from it answering over real HTTPS."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kiosk.clinic.config import SECTIONS, ClinicConfig
from kiosk.clinic.database import head_revision
from kiosk.site.tomlfile import SettingsError

pytestmark = [pytest.mark.clinic, pytest.mark.release]
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "configuration.md"
EXAMPLE = ROOT / "packaging" / "clinic" / "clinic.toml"
KIOSK = [sys.executable, "-m", "kiosk"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[clinic]\nfolder = "c"\n[sever]\nport = 1\n', r"unknown section \[sever\]"),
        ('[clinic]\nfolder = "c"\nfoldr = "d"\n', r"unknown key 'foldr' in \[clinic\]"),
        ('[clinic]\nfolder = "c"\n[server]\nport = "8443"\n', r"\[server\] port must be a whole"),
        ('[clinic]\nfolder = "c"\n[server]\nport = 70000\n', r"from 1 to 65535, not 70000"),
        ('[clinic]\nfolder = "c"\n[backups]\nbefore_upgrade = "yes"\n', r"true or false"),
        ('[clinic]\nfolder = "c"\n[backups]\nkeep = 0\n', r"\[backups\] keep must be"),
        ("[clinic]\nfolder = 3\n", r"\[clinic\] folder must be text"),
        ('[clinic]\nfolder = "c"\ndatabase = "mysql://x/y"\n', r"SQLite or PostgreSQL"),
        ("[server]\nport = 8443\n", r"\[clinic\] folder is required"),
        ('[clinic\nfolder = "c"\n', r"not a valid TOML file .*line 1"),
        ("clinic = 3\n", r"clinic must be a \[clinic\] table"),
    ],
)
def test_a_mistake_in_the_file_is_named_plainly(tmp_path: Path, text: str, says: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError, match=says) as caught:
        ClinicConfig.load(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"clinic\.toml: no such file"):
        ClinicConfig.load(tmp_path / "clinic.toml")


def test_paths_are_read_from_the_files_folder_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    config = ClinicConfig.load(write(tmp_path, '[clinic]\nfolder = "clinic"\n'))
    assert config.folder == (tmp_path / "clinic").resolve()
    assert config.database_url == f"sqlite:///{config.folder / 'clinic.db'}"
    assert (config.host, config.port) == ("127.0.0.1", 8443)
    assert config.backup_policy.folder == config.folder / "backups"
    assert config.backup_policy.before_upgrade and config.backup_policy.keep == 10


def test_the_passphrase_comes_from_its_file_or_systemds_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    config = ClinicConfig.load(write(tmp_path, '[clinic]\nfolder = "c"\n'))
    with pytest.raises(SettingsError, match=r"no \[clinic\] passphrase_file, and no systemd"):
        config.passphrase()
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "passphrase").write_bytes(b"from systemd\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    assert config.passphrase() == b"from systemd"
    (tmp_path / "pass").write_bytes(b"  from the file \n")
    config = ClinicConfig.load(
        write(tmp_path, '[clinic]\nfolder = "c"\npassphrase_file = "pass"\n')
    )
    assert config.passphrase() == b"from the file"
    (tmp_path / "pass").write_bytes(b"\n")
    with pytest.raises(SettingsError, match=r"passphrase_file .*pass is empty"):
        config.passphrase()


def documented_keys() -> set[str]:
    """The keys in the clinic section's table of docs/configuration.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## The clinic service: `clinic.toml`", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `\[(\w+)\] (\w+)` \|", section, flags=re.MULTILINE))


def test_the_documentation_and_the_settings_agree() -> None:
    known = {(section, key) for section, keys in SECTIONS.items() for key in keys}
    assert documented_keys() == {(s, k) for s, k in known}


def test_the_shipped_example_is_valid_and_uses_every_section() -> None:
    config = ClinicConfig.load(EXAMPLE)
    assert config.folder == Path("/var/lib/what-matters-clinic")
    assert config.database is not None and config.database.startswith("postgresql")
    assert config.passphrase_file is None  # from systemd's credential, as the unit says
    assert config.backup_policy.folder == Path("/var/backups/what-matters-clinic")
    text = EXAMPLE.read_text(encoding="utf-8")
    assert all(f"[{section}]" in text for section in SECTIONS)


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KIOSK, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_clinic_set_up_checked_and_served_from_its_settings_file(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "passphrase").write_bytes(b"a clinic passphrase for tests\n")
    config = write(
        tmp_path,
        '[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n'
        f'[server]\nhost = "127.0.0.1"\nport = {port}\n'
        '[backups]\nfolder = "backups"\nkeep = 3\n',
    )
    made = run("clinic", "init", "--config", str(config))
    assert made.returncode == 0, made.stderr
    checked = run("clinic", "check-config", "--config", str(config))
    assert checked.returncode == 0, checked.stderr
    assert "passphrase: opens the clinic keys" in checked.stdout
    assert "(made on first start)" in checked.stdout
    assert f"serves: https://127.0.0.1:{port}" in checked.stdout
    # The environment variable names the file as well as --config does.
    code = run("clinic", "enrolment-code", env={"KIOSK_CLINIC_CONFIG": str(config)})
    assert code.returncode == 0, code.stderr
    assert re.fullmatch(r"[A-Z0-9-]{6,}", code.stdout.splitlines()[0])

    server = subprocess.Popen(  # the command line the systemd unit runs
        [*KIOSK, "clinic", "serve", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        context = ssl.create_default_context(cafile=str(tmp_path / "clinic" / "clinic-cert.pem"))
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"https://127.0.0.1:{port}/api/v1/health", context=context, timeout=5
                ) as response:
                    health = json.loads(response.read())
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    assert health.get("status") == "ok", health
    assert "Traceback" not in err


def test_the_command_line_reports_a_bad_file_plainly(tmp_path: Path) -> None:
    missing = run("clinic", "serve", "--config", str(tmp_path / "nowhere.toml"))
    assert missing.returncode == 2
    assert "nowhere.toml: no such file" in missing.stderr and "Traceback" not in missing.stderr
    bad = write(tmp_path, '[clinic]\nfolder = "c"\n[server]\nport = "x"\n')
    checked = run("clinic", "check-config", "--config", str(bad))
    assert checked.returncode == 2
    assert f"{bad}: [server] port must be a whole number" in checked.stderr
    both = run("clinic", "backup", str(tmp_path), "--config", str(bad), "--out", "x.tar")
    assert both.returncode == 2 and "not both" in both.stderr
    neither = run("clinic", "enrolment-code", env={"KIOSK_CLINIC_CONFIG": ""})
    assert neither.returncode == 2 and "which clinic?" in neither.stderr


def test_check_config_finds_a_wrong_passphrase(tmp_path: Path) -> None:
    (tmp_path / "passphrase").write_bytes(b"a clinic passphrase for tests\n")
    config = write(tmp_path, '[clinic]\nfolder = "clinic"\npassphrase_file = "passphrase"\n')
    assert run("clinic", "init", "--config", str(config)).returncode == 0
    (tmp_path / "passphrase").write_bytes(b"not the passphrase\n")
    checked = run("clinic", "check-config", "--config", str(config))
    assert checked.returncode == 2
    assert "passphrase:" in checked.stderr and "Traceback" not in checked.stderr


@pytest.mark.control("H-25-C4")
def test_the_health_check_says_when_the_database_is_down(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread

    folder = tmp_path / "clinic"
    init_clinic(folder, b"a clinic passphrase for tests", ["127.0.0.1"])
    service = open_service(folder, b"a clinic passphrase for tests", None, [ROOT / "forms"])
    running = serve_in_thread(service, folder)
    context = ssl.create_default_context(cafile=str(folder / "clinic-cert.pem"))

    def health() -> tuple[int, dict[str, str]]:
        try:
            with urllib.request.urlopen(
                f"{running.url}/api/v1/health", context=context, timeout=10
            ) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    try:
        schema = head_revision()
        assert health() == (200, {"status": "ok", "version": "0.1.0", "schema": schema})
        working = service.engine
        # The database server goes away (nothing listens on port 1).
        service.engine = create_engine(
            "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 2}
        )
        try:
            status, body = health()
        finally:
            service.engine.dispose()
            service.engine = working
        assert status == 503 and body["status"] == "unavailable"
        assert health()[0] == 200
    finally:
        running.stop()
        service.engine.dispose()
