#!/bin/bash
# Install (or upgrade) What Matters Kiosk on a Debian 12 tablet, as a locked-down
# appliance: the patient kiosk full screen under cage, started at boot.
#
#   sudo packaging/linux/install.sh [BUNDLE]
#
# BUNDLE is the built one-folder bundle (`make package` makes
# dist/what-matters-kiosk/); by default the one in this repository's dist/.
# Running it again with a newer bundle upgrades the tablet; its data, device key
# and enrolment are kept. packaging/linux/README.md explains everything installed.
#
# DESTDIR=/some/root lays every file out under that folder instead, and skips
# what would change the running system (apt-get, users, systemctl), saying so:
# for tests and for building an image.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DESTDIR="${DESTDIR:-}"
DESTDIR="${DESTDIR%/}"

KIOSK_USER=wmkiosk
KIOSK_GROUPS=(video render input audio)
INSTALL_DIR=/opt/what-matters-kiosk
EXECUTABLE=what-matters-kiosk
UNIT=what-matters-kiosk.service
PACKAGES=(
    # The Wayland kiosk compositor, and the logind session it takes the seat through.
    cage dbus libpam-systemd
    # Libraries the bundle uses from the system: OpenGL/EGL and the GPU drivers,
    # Wayland, keyboard maps, fonts, D-Bus.
    libegl1 libegl-mesa0 libgl1 libgles2 libgbm1 libgl1-mesa-dri
    libwayland-client0 libwayland-cursor0 libwayland-egl1 libxkbcommon0 xkb-data
    libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
    # Read aloud (docs/kiosk.md): speech-dispatcher with the espeak-ng voices.
    speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
    # Security updates at night (apt.conf.d/52what-matters-kiosk-upgrades).
    unattended-upgrades
)

say() { printf '%s\n' "install.sh: $*"; }
fail() {
    printf '%s\n' "install.sh: $*" >&2
    exit 1
}
skipped() { say "DESTDIR is set, so not running: $*"; }
# The comment block at the top of this file, without its "# ".
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

BUNDLE=""
while [ $# -gt 0 ]; do
    case "$1" in
    -h | --help)
        usage
        exit 0
        ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *)
        [ -z "$BUNDLE" ] || fail "give one bundle folder, not several"
        BUNDLE="$1"
        ;;
    esac
    shift
done
BUNDLE="${BUNDLE:-$REPO/dist/what-matters-kiosk}"

[ -d "$BUNDLE" ] || fail "no bundle folder at $BUNDLE: build it with \`make package\`, or give its path"
if [ ! -f "$BUNDLE/$EXECUTABLE" ] || [ ! -x "$BUNDLE/$EXECUTABLE" ]; then
    fail "$BUNDLE/$EXECUTABLE is missing or not executable: is $BUNDLE a what-matters-kiosk bundle?"
fi
BUNDLE="$(cd "$BUNDLE" && pwd)"

if [ -z "$DESTDIR" ]; then
    [ "$(id -u)" -eq 0 ] || fail "run me as root (sudo $0 ...), or set DESTDIR to lay the files out elsewhere"
    if [ -r /etc/os-release ]; then
        # shellcheck disable=SC1091
        . /etc/os-release
        if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
            say "warning: this is made for Debian 12; this system says ${PRETTY_NAME:-unknown}"
        fi
    fi
fi

# Copies a file from this folder to its place under DESTDIR, replacing what is there.
put() {
    local mode="$1" source="$HERE/$2" target="$DESTDIR$3"
    install -D -m "$mode" "$source" "$target"
    say "installed $3"
}

# 1. Packages.
if [ -z "$DESTDIR" ]; then
    say "installing packages: ${PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${PACKAGES[@]}"
else
    skipped "apt-get install ${PACKAGES[*]}"
fi

# 2. The kiosk user: a system user, no password, no login shell, no home.
if [ -z "$DESTDIR" ]; then
    if id -u "$KIOSK_USER" >/dev/null 2>&1; then
        say "user $KIOSK_USER exists"
    else
        useradd --system --user-group --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin --comment "What Matters Kiosk" "$KIOSK_USER"
        say "made the system user $KIOSK_USER"
    fi
    for group in "${KIOSK_GROUPS[@]}"; do
        getent group "$group" >/dev/null || groupadd --system "$group"
    done
    usermod --append --groups "$(
        IFS=,
        echo "${KIOSK_GROUPS[*]}"
    )" "$KIOSK_USER"
    say "$KIOSK_USER is in the groups ${KIOSK_GROUPS[*]}"
else
    skipped "useradd --system $KIOSK_USER; usermod --append --groups ${KIOSK_GROUPS[*]} $KIOSK_USER"
fi

# 3. The bundle, replaced whole: copied beside the old one first, then swapped in
#    with two renames while the kiosk is stopped, so the kiosk never runs from a
#    half-copied folder or a mixture of two versions.
target="$DESTDIR$INSTALL_DIR"
staging="$target.new"
previous="$target.old"
rm -rf "$staging" "$previous"
mkdir -p "$(dirname "$target")"
say "copying $BUNDLE to $staging"
cp -R --preserve=mode,timestamps,links -- "$BUNDLE" "$staging"
chmod -R u+rwX,go+rX,go-w "$staging"
if [ -z "$DESTDIR" ]; then
    chown -R root:root "$staging"
    # A bundle that cannot even print its help is not swapped in.
    if ! QT_QPA_PLATFORM=offscreen timeout 120 "$staging/$EXECUTABLE" --help >/dev/null 2>&1; then
        rm -rf "$staging"
        fail "$BUNDLE/$EXECUTABLE --help failed: the bundle is broken or built for another system; nothing was changed"
    fi
fi
was_running=no
if [ -z "$DESTDIR" ] && systemctl is-active --quiet "$UNIT"; then
    was_running=yes
    say "stopping the kiosk to replace it"
    systemctl stop "$UNIT"
fi
if [ -e "$target" ]; then
    mv -- "$target" "$previous"
fi
mv -- "$staging" "$target"
rm -rf "$previous"
say "installed the bundle in $INSTALL_DIR"

# 4. The service, its PAM stack and the tablet's hardening.
put 0644 what-matters-kiosk.service "/etc/systemd/system/$UNIT"
put 0644 pam.d/what-matters-kiosk /etc/pam.d/what-matters-kiosk
put 0644 logind.conf.d/what-matters-kiosk.conf /etc/systemd/logind.conf.d/what-matters-kiosk.conf
put 0644 sysctl.d/90-what-matters-kiosk.conf /etc/sysctl.d/90-what-matters-kiosk.conf
put 0644 apt.conf.d/52what-matters-kiosk-upgrades /etc/apt/apt.conf.d/52what-matters-kiosk-upgrades
put 0644 apt-daily.timer.d/what-matters-kiosk.conf \
    /etc/systemd/system/apt-daily.timer.d/what-matters-kiosk.conf
put 0644 apt-daily-upgrade.timer.d/what-matters-kiosk.conf \
    /etc/systemd/system/apt-daily-upgrade.timer.d/what-matters-kiosk.conf

# 5. Boot into the kiosk.
if [ -z "$DESTDIR" ]; then
    systemctl daemon-reload
    # A desktop's display manager (GDM, LightDM, SDDM) would fight the kiosk for the screen.
    dm="$(readlink -f /etc/systemd/system/display-manager.service 2>/dev/null || true)"
    if [ -n "$dm" ] && [ -e "$dm" ]; then
        say "disabling the display manager $(basename "$dm"): this tablet shows only the kiosk"
        systemctl disable "$(basename "$dm")"
    fi
    # Ctrl+Alt+Del would otherwise reboot the tablet while the kiosk restarts.
    systemctl mask ctrl-alt-del.target
    systemctl set-default graphical.target
    systemctl enable "$UNIT"
    systemctl enable apt-daily.timer apt-daily-upgrade.timer
    systemctl restart apt-daily.timer apt-daily-upgrade.timer
    sysctl --quiet --load=/etc/sysctl.d/90-what-matters-kiosk.conf
    if [ "$was_running" = yes ]; then
        systemctl start "$UNIT"
        say "upgraded; the kiosk has been started again"
    else
        say "installed. Reboot (sudo reboot) to start the kiosk with every setting in force;"
        say "the tablet then shows the enrolment screen (packaging/linux/README.md)."
    fi
else
    skipped "systemctl daemon-reload; disable any display manager; mask ctrl-alt-del.target;" \
        "set-default graphical.target; enable $UNIT apt-daily.timer apt-daily-upgrade.timer;" \
        "sysctl --load=/etc/sysctl.d/90-what-matters-kiosk.conf"
    say "laid out under $DESTDIR"
fi
