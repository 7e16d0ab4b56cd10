"""The Linux packaging: the install scripts lay out systemd units and system settings
that systemd accepts as they are, and that do what an IT team expects of them.

Each install script runs with ``DESTDIR`` set to a temporary root (it then skips
apt-get, users and systemctl), and ``systemd-analyze verify --root=ROOT`` checks
the installed units there. With ``--root`` systemd looks for everything under
ROOT: the units ours depend on (``sysinit.target``, ``graphical.target``...)
are copied in from this machine's systemd, and the programs the units start
(``/usr/bin/cage``, ``/opt/what-matters-clinic/venv/bin/kiosk``) are stand-in
scripts, since ``verify`` fails a unit whose ``ExecStart=`` program is missing.
``verify`` reports unknown or malformed settings as warnings but still exits 0,
so a unit passes only if it exits 0 *and* prints nothing.

Needs ``systemd-analyze`` (Debian: the ``systemd`` package). ``shellcheck``,
``apt-config`` and ``nginx`` are used when present.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import stat
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

pytestmark = pytest.mark.release

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
CLINIC = ROOT / "packaging" / "clinic"
SCRIPTS = [
    LINUX / "install.sh",
    CLINIC / "install.sh",
    CLINIC / "postgresql-setup.sh",
]
KIOSK_UNIT = "what-matters-kiosk.service"
CLINIC_UNIT = "what-matters-clinic.service"
MLLP_UNIT = "what-matters-clinic-mllp.service"
CLINIC_KIOSK = "/opt/what-matters-clinic/venv/bin/kiosk"
ADMIN = "usr/local/sbin/what-matters-clinic-admin"
# Where Debian keeps the units systemd itself ships (one folder with merged /usr).
SYSTEM_UNIT_DIRS = [Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")]
CLINIC_HOURS = range(7, 20)  # 07:00 to 19:59: nothing disruptive may be scheduled then


def missing_tool(reason: str) -> None:
    """Skip where a tool is not installed, except in CI (``.ci/run`` installs every one)."""
    skip_or_fail(reason)


# ------------------------------------------------------------------ helpers


def systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail(
            "systemd-analyze is not installed, so the systemd units cannot be checked. "
            "Install it (Debian: apt-get install systemd) and run the tests again."
        )
    return found


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=300, check=False, **kwargs
    )


def install(script: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an install script with DESTDIR=root; it must succeed."""
    env = {**os.environ, "DESTDIR": str(root)}
    done = run(["bash", str(script), *args], env=env, cwd=root)
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return done


def stand_in(path: Path) -> None:
    """An executable that does nothing, where a unit expects a program."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(0o755)


# Debian's apt timers, for a machine without apt (the drop-ins are checked against these).
APT_UNITS = {
    "apt-daily.timer": "[Unit]\nDescription=Daily apt download activities\n\n[Timer]\n"
    "OnCalendar=*-*-* 6,18:00\nRandomizedDelaySec=12h\nPersistent=true\n\n"
    "[Install]\nWantedBy=timers.target\n",
    "apt-daily.service": "[Unit]\nDescription=Daily apt download activities\n\n[Service]\n"
    "Type=oneshot\nExecStart=/usr/lib/apt/apt.systemd.daily update\n",
    "apt-daily-upgrade.timer": "[Unit]\nDescription=Daily apt upgrade and clean activities\n"
    "After=apt-daily.timer\n\n[Timer]\nOnCalendar=*-*-* 6:00\nRandomizedDelaySec=60m\n"
    "Persistent=true\n\n[Install]\nWantedBy=timers.target\n",
    "apt-daily-upgrade.service": "[Unit]\nDescription=Daily apt upgrade and clean activities\n\n"
    "[Service]\nType=oneshot\nExecStart=/usr/lib/apt/apt.systemd.daily install\n",
}


def add_system_units(root: Path) -> None:
    """Copy this machine's systemd units into root, as `verify --root` looks there."""
    source = next((d for d in SYSTEM_UNIT_DIRS if (d / "sysinit.target").is_file()), None)
    if source is None:
        pytest.fail(
            "systemd's own units (sysinit.target and the rest) are not in "
            f"{' or '.join(map(str, SYSTEM_UNIT_DIRS))}: install Debian's systemd package"
        )
    target = root / "usr" / "lib" / "systemd" / "system"
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
    for name, text in APT_UNITS.items():
        if not (target / name).exists():
            (target / name).write_text(text, encoding="utf-8")
    stand_in(root / "usr" / "lib" / "apt" / "apt.systemd.daily")


def verify(root: Path, *units: str) -> None:
    done = run([systemd_analyze(), "verify", f"--root={root}", "--man=no", *units])
    said = (done.stdout + done.stderr).strip()
    assert done.returncode == 0 and not said, (
        f"systemd-analyze verify {' '.join(units)} (exit {done.returncode}):\n{said}"
    )


def parse_unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """A unit file as {section: [(key, value), ...]}, repeated keys kept in order."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        assert current is not None, f"{path}: {line!r} is outside any section"
        key, sep, value = line.partition("=")
        assert sep, f"{path}: {line!r} is not KEY=VALUE"
        current.append((key.strip(), value.strip()))
    return sections


def values(unit: dict[str, list[tuple[str, str]]], section: str, key: str) -> list[str]:
    """Every value given for key, split on spaces; an empty assignment resets the list."""
    found: list[str] = []
    for name, value in unit.get(section, []):
        if name == key:
            found = [*found, *value.split()] if value else []
    return found


def one(unit: dict[str, list[tuple[str, str]]], section: str, key: str) -> str:
    given = [value for name, value in unit.get(section, []) if name == key]
    assert given, f"[{section}] {key}= is not set"
    return given[-1]


def environment(unit: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Environment= settings as a dict (each of ours is one NAME=VALUE without spaces)."""
    return dict(item.split("=", 1) for item in values(unit, "Service", "Environment"))


def hours(span: str) -> float:
    """A systemd time span such as 30m, 45min or 1h, in hours."""
    found = re.fullmatch(r"(\d+)\s*(h|m|min)", span)
    assert found, f"unexpected time span {span!r}"
    return int(found.group(1)) / (1 if found.group(2) == "h" else 60)


def tree(root: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under root: its kind or content hash, and its mode."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            what = "-> " + str(path.readlink())
        elif path.is_dir():
            what = "folder"
        else:
            what = hashlib.sha256(path.read_bytes()).hexdigest()
        found[str(path.relative_to(root))] = (what, stat.S_IMODE(info.st_mode))
    return found


def exposure(root: Path, unit: str) -> float:
    """systemd-analyze security's overall exposure (0 = locked down, 10 = wide open)."""
    done = run([systemd_analyze(), "security", "--offline=yes", f"--root={root}", unit])
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", done.stdout)
    assert found, f"systemd-analyze security {unit}:\n{done.stdout}\n{done.stderr}"
    return float(found.group(1))


def fake_bundle(folder: Path, marker: str) -> Path:
    """A stand-in for `make package`'s one-folder bundle."""
    (folder / "_internal").mkdir(parents=True)
    stand_in(folder / "what-matters-kiosk")
    (folder / "_internal" / "version.txt").write_text(marker, encoding="utf-8")
    (folder / "_internal" / "libexample.so").symlink_to("version.txt")
    return folder


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def tablet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root where packaging/linux/install.sh has installed a fake bundle."""
    systemd_analyze()
    base = tmp_path_factory.mktemp("tablet")
    root = base / "root"
    root.mkdir()
    install(LINUX / "install.sh", root, str(fake_bundle(base / "bundle", "1")))
    add_system_units(root)
    stand_in(root / "usr" / "bin" / "cage")
    return root


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root where packaging/clinic/install.sh has laid the clinic service out."""
    systemd_analyze()
    root = tmp_path_factory.mktemp("clinic") / "root"
    root.mkdir()
    install(CLINIC / "install.sh", root)
    add_system_units(root)
    stand_in(root / CLINIC_KIOSK.lstrip("/"))
    return root


@pytest.fixture(scope="module")
def kiosk_unit(tablet: Path) -> dict[str, list[tuple[str, str]]]:
    return parse_unit(tablet / "etc" / "systemd" / "system" / KIOSK_UNIT)


@pytest.fixture(scope="module")
def clinic_unit(clinic: Path) -> dict[str, list[tuple[str, str]]]:
    return parse_unit(clinic / "etc" / "systemd" / "system" / CLINIC_UNIT)


# ------------------------------------------------------------------ the scripts


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_parse_and_are_strict(script: Path) -> None:
    done = run(["bash", "-n", str(script)])
    assert done.returncode == 0, done.stderr
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text
    assert os.access(script, os.X_OK), f"{script} is not executable (chmod +x)"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_scripts_pass_shellcheck(script: Path) -> None:
    if shutil.which("shellcheck") is None:
        missing_tool("shellcheck is not installed (Debian: shellcheck)")
    done = run(["shellcheck", "--shell=bash", str(script)])
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_clinic_admin_command_is_a_sound_shell_script(clinic: Path) -> None:
    admin = clinic / ADMIN
    assert admin.stat().st_mode & 0o777 == 0o755
    assert run(["sh", "-n", str(admin)]).returncode == 0
    if shutil.which("shellcheck") is not None:
        done = run(["shellcheck", str(admin)])
        assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("script", "skips"),
    [
        (LINUX / "install.sh", ["apt-get install", "useradd", "systemctl daemon-reload"]),
        (CLINIC / "install.sh", ["apt-get install", "useradd", "pip install", "postgresql-setup"]),
    ],
    ids=["tablet", "clinic"],
)
def test_destdir_runs_say_what_they_did_not_do(
    script: Path, skips: list[str], tmp_path: Path
) -> None:
    args = [str(fake_bundle(tmp_path / "bundle", "1"))] if script.parent == LINUX else []
    root = tmp_path / "root"
    root.mkdir()
    said = install(script, root, *args).stdout
    for step in skips:
        assert re.search(rf"not running: .*{re.escape(step)}", said), f"no word of {step!r}"


def test_tablet_install_is_idempotent_and_upgrades_the_bundle_whole(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    install(LINUX / "install.sh", root, str(fake_bundle(tmp_path / "one", "1")))
    first = tree(root)
    install(LINUX / "install.sh", root, str(fake_bundle(tmp_path / "again", "1")))
    assert tree(root) == first, "a second run with the same bundle changed something"

    newer = fake_bundle(tmp_path / "two", "2")
    (newer / "_internal" / "only-in-2.txt").write_text("new", encoding="utf-8")
    (tmp_path / "one" / "_internal" / "gone-in-2.txt").write_text("old", encoding="utf-8")
    install(LINUX / "install.sh", root, str(tmp_path / "one"))
    install(LINUX / "install.sh", root, str(newer))
    app = root / "opt" / "what-matters-kiosk"
    assert (app / "_internal" / "version.txt").read_text(encoding="utf-8") == "2"
    assert (app / "_internal" / "only-in-2.txt").exists()
    assert not (app / "_internal" / "gone-in-2.txt").exists(), "files of the old bundle stayed"
    assert (app / "_internal" / "libexample.so").is_symlink(), "symlinks must stay symlinks"
    assert sorted(p.name for p in (root / "opt").iterdir()) == ["what-matters-kiosk"], (
        "a staging or old copy was left beside the bundle"
    )
    assert os.access(app / "what-matters-kiosk", os.X_OK)
    assert not stat.S_IMODE(app.stat().st_mode) & 0o022, (
        "the bundle must not be group/world writable"
    )


def test_tablet_install_refuses_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    root = tmp_path / "root"
    root.mkdir()
    env = {**os.environ, "DESTDIR": str(root)}
    done = run(["bash", str(LINUX / "install.sh"), str(tmp_path / "empty")], env=env)
    assert done.returncode != 0
    assert "what-matters-kiosk is missing or not executable" in done.stderr
    assert not any(root.iterdir()), "nothing may be installed from a broken bundle"


def test_clinic_install_is_idempotent_and_keeps_the_secrets(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    install(CLINIC / "install.sh", root)
    first = tree(root)
    passphrase = (root / "etc/what-matters-clinic/passphrase").read_bytes()
    again = install(CLINIC / "install.sh", root).stdout
    assert tree(root) == first, "a second run changed something"
    assert (root / "etc/what-matters-clinic/passphrase").read_bytes() == passphrase
    assert "keeping the existing passphrase" in again
    assert "keeping the existing /etc/what-matters-clinic/clinic.toml" in again


def test_clinic_install_refuses_unknown_options(tmp_path: Path) -> None:
    env = {**os.environ, "DESTDIR": str(tmp_path)}
    done = run(["bash", str(CLINIC / "install.sh"), "--postgres"], env=env)
    assert done.returncode != 0
    assert "unknown option --postgres" in done.stderr


# ------------------------------------------------------------------ the tablet


@pytest.mark.control("H-26-C3")
def test_tablet_units_pass_systemd_analyze_verify(tablet: Path) -> None:
    verify(tablet, KIOSK_UNIT)


@pytest.mark.control("H-26-C2")
def test_the_kiosk_runs_full_screen_under_cage_without_vt_switching(
    kiosk_unit: dict[str, list[tuple[str, str]]], tablet: Path
) -> None:
    argv = shlex.split(one(kiosk_unit, "Service", "ExecStart"))
    assert argv[0] == "/usr/bin/cage"
    assert "--" in argv, "cage must be told where its options end"
    cage_options, app = argv[1 : argv.index("--")], argv[argv.index("--") + 1 :]
    assert "-s" not in cage_options, "cage -s would allow Ctrl+Alt+Fn to another terminal"
    assert set(cage_options) <= {"-d"}, f"unexpected cage options {cage_options}"
    assert app == ["/opt/what-matters-kiosk/what-matters-kiosk", "run"], (
        "the kiosk must run full screen (no --windowed, no --demo)"
    )
    assert os.access(tablet / app[0].lstrip("/"), os.X_OK)
    env = environment(kiosk_unit)
    assert env["QT_QPA_PLATFORM"] == "wayland"


@pytest.mark.control("H-26-C3")
def test_the_kiosk_runs_as_its_unprivileged_user_in_a_login_session(
    kiosk_unit: dict[str, list[tuple[str, str]]], tablet: Path
) -> None:
    assert one(kiosk_unit, "Service", "User") == "wmkiosk"
    assert one(kiosk_unit, "Service", "Group") == "wmkiosk"
    # cage gets the seat from logind through a PAM session on a virtual terminal.
    pam = one(kiosk_unit, "Service", "PAMName")
    stack = (tablet / "etc" / "pam.d" / pam).read_text(encoding="utf-8")
    rules = [line.split() for line in stack.splitlines() if line.strip() and line[0] != "#"]
    for rule in rules:
        assert rule[0] in {"auth", "account", "session", "password"}, rule
        assert rule[2].endswith(".so"), rule
    assert ["session", "required", "pam_systemd.so"] in [rule[:3] for rule in rules]
    tty = one(kiosk_unit, "Service", "TTYPath")
    assert re.fullmatch(r"/dev/tty\d+", tty)
    assert f"getty@{tty.removeprefix('/dev/')}.service" in values(kiosk_unit, "Unit", "Conflicts")
    assert one(kiosk_unit, "Service", "StandardInput") == "tty-fail"
    assert "systemd-logind.service" in values(kiosk_unit, "Unit", "After")
    assert one(kiosk_unit, "Install", "WantedBy") == "graphical.target"


@pytest.mark.control("H-26-C3")
def test_the_kiosk_comes_back_and_logs_to_the_journal(
    kiosk_unit: dict[str, list[tuple[str, str]]],
) -> None:
    assert one(kiosk_unit, "Service", "Restart") == "always"
    assert one(kiosk_unit, "Service", "RestartSec") in {"2s", "3s", "5s", "10s"}
    assert int(one(kiosk_unit, "Unit", "StartLimitBurst")) >= 5
    assert int(one(kiosk_unit, "Unit", "StartLimitIntervalSec")) >= 60
    # A tty on standard input would otherwise send the output to the screen.
    assert one(kiosk_unit, "Service", "StandardOutput") == "journal"
    assert one(kiosk_unit, "Service", "StandardError") == "journal"


def test_the_kiosk_keeps_its_data_in_its_own_private_folder(
    kiosk_unit: dict[str, list[tuple[str, str]]],
) -> None:
    env = environment(kiosk_unit)
    assert env["KIOSK_DATA_DIR"] == "/var/lib/" + one(kiosk_unit, "Service", "StateDirectory")
    assert one(kiosk_unit, "Service", "StateDirectoryMode") == "0700"
    assert one(kiosk_unit, "Service", "UMask") == "0077"
    assert not env["HOME"].startswith(env["KIOSK_DATA_DIR"]), "caches stay out of the data"


@pytest.mark.control("H-26-C3")
def test_the_kiosk_is_sandboxed_but_can_reach_screen_and_input(
    kiosk_unit: dict[str, list[tuple[str, str]]], tablet: Path
) -> None:
    for key, expected in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectKernelModules": "yes",
        "ProtectControlGroups": "yes",
    }.items():
        assert one(kiosk_unit, "Service", key) == expected, key
    assert values(kiosk_unit, "Service", "CapabilityBoundingSet") == []
    assert "CapabilityBoundingSet" in dict(kiosk_unit["Service"])
    # These would cut cage off from /dev/dri, /dev/input or its Wayland socket.
    for breaks_a_compositor in ("PrivateDevices", "ProtectClock", "DevicePolicy", "DeviceAllow"):
        assert breaks_a_compositor not in dict(kiosk_unit["Service"]), breaks_a_compositor
    assert "ProtectHome" not in dict(kiosk_unit["Service"]), "it would hide /run/user"
    assert "/run/user" in values(kiosk_unit, "Service", "ReadWritePaths")
    assert exposure(tablet, KIOSK_UNIT) <= 3.0


def test_tablet_updates_run_at_night(tablet: Path) -> None:
    verify(tablet, "apt-daily.timer", "apt-daily-upgrade.timer")
    dropins = tablet / "etc" / "systemd" / "system"
    for timer in ("apt-daily.timer", "apt-daily-upgrade.timer"):
        unit = parse_unit(dropins / f"{timer}.d" / "what-matters-kiosk.conf")
        given = [value for key, value in unit["Timer"] if key == "OnCalendar"]
        assert given[0] == "", f"{timer}: Debian's times must be reset first"
        delay = hours(one(unit, "Timer", "RandomizedDelaySec"))
        for when in given[1:]:
            done = run([systemd_analyze(), "calendar", when])
            assert done.returncode == 0, done.stderr
            normal = re.search(r"Normalized form: \*-\*-\* (\d\d):(\d\d):00$", done.stdout, re.M)
            assert normal, f"{timer}: {when} is not once a day at a fixed time"
            start = int(normal.group(1)) + int(normal.group(2)) / 60
            assert start + delay <= CLINIC_HOURS.start, f"{timer} may run in clinic hours"
    upgrade = parse_unit(dropins / "apt-daily-upgrade.timer.d" / "what-matters-kiosk.conf")
    assert one(upgrade, "Timer", "Persistent") == "false", "no catching up in the morning"
    apt = (tablet / "etc/apt/apt.conf.d/52what-matters-kiosk-upgrades").read_text(encoding="utf-8")
    reboot = re.search(r'Unattended-Upgrade::Automatic-Reboot-Time "(\d\d):\d\d";', apt)
    assert reboot and int(reboot.group(1)) < CLINIC_HOURS.start
    assert 'Unattended-Upgrade::Automatic-Reboot-WithUsers "true";' in apt, (
        "the kiosk's session is a logged-in user: without this the tablet never reboots"
    )


def test_the_apt_settings_parse(tablet: Path) -> None:
    if shutil.which("apt-config") is None:
        missing_tool("apt-config is not installed (Debian: apt)")
    snippet = tablet / "etc/apt/apt.conf.d/52what-matters-kiosk-upgrades"
    done = run(["apt-config", "-c", str(snippet), "dump"])
    assert done.returncode == 0, done.stderr
    assert 'APT::Periodic::Unattended-Upgrade "1";' in done.stdout
    assert 'Unattended-Upgrade::Automatic-Reboot "true";' in done.stdout


@pytest.mark.control("H-26-C2")
def test_logind_settings_are_ones_logind_knows(tablet: Path) -> None:
    done = run(
        [systemd_analyze(), "cat-config", f"--root={tablet}", "systemd/logind.conf"],
    )
    assert done.returncode == 0, done.stderr
    assert "logind.conf.d/what-matters-kiosk.conf" in done.stdout
    settings = parse_unit(tablet / "etc/systemd/logind.conf.d/what-matters-kiosk.conf")
    assert list(settings) == ["Login"]
    logind = next(
        (p for p in (Path("/usr/lib/systemd/systemd-logind"), Path("/lib/systemd/systemd-logind"))
         if p.is_file()),
        None,
    )  # fmt: skip
    if logind is None:
        pytest.fail("systemd-logind is not installed (Debian's systemd package has it)")
    known = logind.read_bytes()  # its settings table names each one "Login.Key"
    actions = {"ignore", "poweroff", "reboot", "halt", "suspend", "hibernate", "lock"}
    for key, value in settings["Login"]:
        assert f"Login.{key}".encode() in known, f"logind has no setting {key}"
        if key.startswith("Handle") or key == "IdleAction":
            assert value in actions, (key, value)
    chosen = dict(settings["Login"])
    assert chosen["NAutoVTs"] == "0" and chosen["ReserveVT"] == "0"
    assert chosen["HandlePowerKey"] == "ignore"
    assert chosen["HandleLidSwitch"] == "ignore"


@pytest.mark.control("H-26-C2")
def test_the_sysrq_key_is_off(tablet: Path) -> None:
    done = run([systemd_analyze(), "cat-config", f"--root={tablet}", "sysctl.d"])
    assert done.returncode == 0, done.stderr
    assert re.search(r"^kernel\.sysrq = 0$", done.stdout, re.M)


# ------------------------------------------------------------------ the clinic


def test_clinic_unit_passes_systemd_analyze_verify(clinic: Path) -> None:
    verify(clinic, CLINIC_UNIT)


def test_the_mllp_unit_passes_verify_and_runs_as_the_clinic_service_does(
    clinic_unit: dict[str, list[tuple[str, str]]], clinic: Path
) -> None:
    """The hospital's HL7 feed: installed beside the service, not enabled, with the
    service's user, credential, folder and forms, and a command line kiosk accepts."""
    from kiosk.cli.main import build_parser

    verify(clinic, MLLP_UNIT)
    mllp = parse_unit(clinic / "etc" / "systemd" / "system" / MLLP_UNIT)
    for key in ("User", "Group", "LoadCredential", "StateDirectory", "StateDirectoryMode"):
        assert one(mllp, "Service", key) == one(clinic_unit, "Service", key)
    assert environment(mllp) == environment(clinic_unit)
    command = shlex.split(one(mllp, "Service", "ExecStart"))
    assert command[:3] == [CLINIC_KIOSK, "clinic", "mllp"]
    assert str(build_parser().parse_args(command[1:]).config) == (
        "/etc/what-matters-clinic/clinic.toml"
    )
    assert "postgresql.service" in values(mllp, "Unit", "After")
    assert not (clinic / "etc/systemd/system/multi-user.target.wants" / MLLP_UNIT).exists()


def test_the_clinic_service_runs_as_wmclinic_with_its_settings_and_credential(
    clinic_unit: dict[str, list[tuple[str, str]]], clinic: Path
) -> None:
    assert one(clinic_unit, "Service", "User") == "wmclinic"
    assert one(clinic_unit, "Service", "Group") == "wmclinic"
    assert "DynamicUser" not in dict(clinic_unit["Service"]), (
        "peer authentication needs a fixed name"
    )
    assert one(clinic_unit, "Service", "ExecStart") == (
        f"{CLINIC_KIOSK} clinic serve --config /etc/what-matters-clinic/clinic.toml"
    )
    assert one(clinic_unit, "Service", "LoadCredential") == (
        "passphrase:/etc/what-matters-clinic/passphrase"
    )
    settings = tomllib.loads((clinic / "etc/what-matters-clinic/clinic.toml").read_text())
    assert "passphrase_file" not in settings["clinic"], "the credential must be used"
    state = one(clinic_unit, "Service", "StateDirectory")
    assert settings["clinic"]["folder"] == f"/var/lib/{state}"
    assert one(clinic_unit, "Service", "StateDirectoryMode") == "0700"
    assert settings["backups"]["folder"] in values(clinic_unit, "Service", "ReadWritePaths")
    assert settings["clinic"]["database"].startswith("postgresql+psycopg://wmclinic@/")
    assert (settings["server"]["host"], settings["server"]["port"]) == ("127.0.0.1", 8443)


def test_the_clinic_service_restarts_waits_for_its_database_and_logs_to_the_journal(
    clinic_unit: dict[str, list[tuple[str, str]]],
) -> None:
    assert one(clinic_unit, "Service", "Restart") == "on-failure"
    assert one(clinic_unit, "Service", "StandardOutput") == "journal"
    assert one(clinic_unit, "Service", "StandardError") == "journal"
    for unit in ("postgresql.service", "network-online.target"):
        assert unit in values(clinic_unit, "Unit", "After")
        assert unit in values(clinic_unit, "Unit", "Wants")
    assert one(clinic_unit, "Install", "WantedBy") == "multi-user.target"


def test_the_clinic_service_is_sandboxed(
    clinic_unit: dict[str, list[tuple[str, str]]], clinic: Path
) -> None:
    for key, expected in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "SystemCallFilter": "@system-service",
        "UMask": "0077",
    }.items():
        assert one(clinic_unit, "Service", key) == expected, key
    assert values(clinic_unit, "Service", "CapabilityBoundingSet") == []
    assert sorted(values(clinic_unit, "Service", "RestrictAddressFamilies")) == [
        "AF_INET",
        "AF_INET6",
        "AF_UNIX",
    ]
    # cffi (cryptography, argon2-cffi) may need writable executable memory.
    assert "MemoryDenyWriteExecute" not in dict(clinic_unit["Service"])
    assert exposure(clinic, CLINIC_UNIT) <= 2.5


def test_clinic_secrets_are_laid_out_privately(clinic: Path) -> None:
    def mode(relative: str) -> int:
        return stat.S_IMODE((clinic / relative).stat().st_mode)

    assert mode("etc/what-matters-clinic/passphrase") == 0o600
    assert mode("etc/what-matters-clinic/clinic.toml") == 0o640
    assert mode("var/backups/what-matters-clinic") == 0o700
    passphrase = (clinic / "etc/what-matters-clinic/passphrase").read_text().strip()
    assert len(passphrase) >= 12, "the clinic refuses a passphrase shorter than 12 characters"


def test_clinic_install_with_sqlite_leaves_the_database_out(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    said = install(CLINIC / "install.sh", root, "--sqlite").stdout
    settings = tomllib.loads((root / "etc/what-matters-clinic/clinic.toml").read_text())
    assert "database" not in settings["clinic"]
    assert "postgresql" not in said.split("apt-get install", 1)[1].splitlines()[0]
    assert "postgresql-setup" not in said


def test_the_admin_command_runs_kiosk_as_the_service_does(
    clinic: Path, clinic_unit: dict[str, list[tuple[str, str]]]
) -> None:
    admin = (clinic / ADMIN).read_text(encoding="utf-8")
    assert "--uid=wmclinic" in admin
    assert f"--property=LoadCredential={one(clinic_unit, 'Service', 'LoadCredential')}" in admin
    assert "--setenv=KIOSK_CLINIC_CONFIG=/etc/what-matters-clinic/clinic.toml" in admin
    forms = environment(clinic_unit)["KIOSK_FORMS_DIR"]
    assert f"--setenv=KIOSK_FORMS_DIR={forms}" in admin
    assert f'{CLINIC_KIOSK} clinic "$@"' in admin


def test_the_clinic_cli_accepts_what_the_packaging_gives_it(
    clinic_unit: dict[str, list[tuple[str, str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unit's command line, and what install.sh and docs/deployment.md run through
    the admin command (which names the settings with KIOSK_CLINIC_CONFIG), all parse."""
    from kiosk.cli.main import build_parser

    parser = build_parser()
    served = parser.parse_args(shlex.split(one(clinic_unit, "Service", "ExecStart"))[1:])
    assert str(served.config) == "/etc/what-matters-clinic/clinic.toml"
    monkeypatch.setenv("KIOSK_CLINIC_CONFIG", "/etc/what-matters-clinic/clinic.toml")
    for action in (
        "init --host wmk.trust.nhs.uk --host 10.20.30.40",
        "check-config",
        "add-user admin administrator",
        "enrolment-code",
        "revoke DEVICE",
        "clinic-list /tmp/today.csv",
        "rotate-key",
        "backup --out /var/backups/what-matters-clinic/manual.tar",
        "restore /var/backups/what-matters-clinic/manual.tar",
    ):
        parser.parse_args(["clinic", *action.split()])


def test_the_certificate_file_the_guide_names_is_the_one_init_makes() -> None:
    from kiosk.clinic.tls import CERT_FILE

    script = (CLINIC / "install.sh").read_text(encoding="utf-8")
    assert f"CERT_FILE={CERT_FILE} " in script
    guide = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    assert f"--cacert /var/lib/what-matters-clinic/{CERT_FILE}" in guide
    assert "/api/v1/health" in guide


def test_nginx_passes_tls_through_to_the_service(clinic: Path) -> None:
    conf = (CLINIC / "nginx-stream.conf").read_text(encoding="utf-8")
    active = "\n".join(line.split("#")[0] for line in conf.splitlines())
    assert re.search(r"^stream \{", active, re.M), "a top-level stream {} block"
    assert not re.search(r"^\s*http\s*\{", active, re.M)
    assert re.search(r"^\s*listen 443;", active, re.M)
    settings = tomllib.loads((clinic / "etc/what-matters-clinic/clinic.toml").read_text())
    upstream = f"{settings['server']['host']}:{settings['server']['port']}"
    assert re.search(rf"^\s*server {re.escape(upstream)};", active, re.M)
    # Passthrough: nginx must never present a certificate of its own (tablets pin the clinic's).
    assert "ssl_certificate" not in active
    assert not re.search(r"listen[^;]*\bssl\b", active)


def test_nginx_accepts_the_stream_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None
    )
    modules = Path("/etc/nginx/modules-enabled")
    if nginx is None or not any(modules.glob("*stream*")):
        missing_tool(
            "nginx with the stream module is not installed (Debian: nginx-light "
            "libnginx-mod-stream)"
        )
    # nginx -t opens the log files: write the access log here instead of /var/log/nginx.
    stream = tmp_path / "stream.conf"
    stream.write_text(
        (CLINIC / "nginx-stream.conf")
        .read_text(encoding="utf-8")
        .replace("/var/log/nginx/", f"{tmp_path}/"),
        encoding="utf-8",
    )
    test_conf = tmp_path / "nginx.conf"
    test_conf.write_text(
        f"include {modules}/*.conf;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\ninclude {stream};\n",
        encoding="utf-8",
    )
    done = run([nginx, "-t", "-q", "-c", str(test_conf)])
    assert done.returncode == 0, done.stderr
