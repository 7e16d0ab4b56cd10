#!/usr/bin/env bash
# Install the Debian packages a make target needs, if any are missing.
#
#   tools/system-packages.sh venv         what `python3 -m venv` needs (Debian's python3-venv)
#   tools/system-packages.sh run          Qt's system libraries (the kiosk, even offscreen)
#   tools/system-packages.sh test         those, plus the tools the test suite drives
#   tools/system-packages.sh screenshots  those of `run`, plus Xvfb and Qt's xcb libraries
#
# As root it runs apt-get; otherwise it prints the exact apt-get line and fails,
# so nothing half-works. Python packages come from requirements.lock, not from here.
set -euo pipefail

# library file:Debian package. PySide6's wheels bring Qt itself, but Qt needs these
# even offscreen; QtTextToSpeech (read-aloud) links against PulseAudio.
qt_libs="libEGL.so.1:libegl1 libGL.so.1:libgl1 libfontconfig.so.1:libfontconfig1
libxkbcommon.so.0:libxkbcommon0 libglib-2.0.so.0:libglib2.0-0 libdbus-1.so.3:libdbus-1-3
libX11.so.6:libx11-6 libxcb.so.1:libxcb1 libfreetype.so.6:libfreetype6
libpulse.so.0:libpulse0"
# Qt's xcb platform plugin (a real window under Xvfb) needs these to start at all.
xcb_libs="libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4
libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1
libxcb-randr.so.0:libxcb-randr0 libxcb-render-util.so.0:libxcb-render-util0
libxcb-shape.so.0:libxcb-shape0 libxcb-xfixes.so.0:libxcb-xfixes0
libxcb-xkb.so.1:libxcb-xkb1 libxkbcommon-x11.so.0:libxkbcommon-x11-0
libX11-xcb.so.1:libx11-xcb1"
# command:Debian package. The release tests build the tablet bundle (PyInstaller needs
# objdump), check the systemd units, the shell scripts, the apt snippet and the proxy
# example, and back up PostgreSQL clinics with pg_dump/pg_restore. The FHIR client check
# renders the Questionnaires in LHC-Forms (npm) in headless Chromium, driven from node.
test_tools="objdump:binutils systemd-analyze:systemd shellcheck:shellcheck apt-config:apt
nginx:nginx-light pg_dump:postgresql-client chromium:chromium node:nodejs npm:npm"
xvfb_tools="xvfb-run:xvfb xauth:xauth"

missing=()
need_libs() {
  local known pair
  known=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null)
  for pair in $1; do
    grep -qF "${pair%%:*}" <<<"$known" || missing+=("${pair##*:}")
  done
}
need_tools() {
  local pair
  for pair in $1; do
    command -v "${pair%%:*}" >/dev/null || [ -x "/usr/sbin/${pair%%:*}" ] ||
      missing+=("${pair##*:}")
  done
}

# `python -m venv` needs ensurepip, which Debian ships apart from Python.
need_venv() {
  "${PYTHON:-python3}" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
}

for target in "$@"; do
  case "$target" in
    venv) need_venv ;;
    run) need_venv; need_libs "$qt_libs" ;;
    test)
      need_venv
      need_libs "$qt_libs"
      need_tools "$test_tools"
      # The proxy example uses nginx's stream module, a separate package.
      ls /etc/nginx/modules-enabled/*stream* >/dev/null 2>&1 || missing+=(libnginx-mod-stream)
      ;;
    screenshots)
      need_libs "$qt_libs $xcb_libs"
      need_tools "$xvfb_tools"
      ;;
    *) echo "system-packages.sh: unknown target '$target' (venv, run, test, screenshots)" >&2; exit 2 ;;
  esac
done

[ ${#missing[@]} -eq 0 ] && exit 0
# One package may be named by several checks.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" != 0 ]; then
  echo "Some system packages are missing. Install them (as root), then run make again:" >&2
  echo "  apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
    >"$log" 2>&1; then
  cat "$log" >&2
  echo "system-packages.sh: apt-get could not install: ${missing[*]}" >&2
  exit 1
fi
# Debian's nginx package starts a server when it is installed; the tests only run
# `nginx -t`, so stop it again.
case " ${missing[*]} " in *" nginx-light "*) nginx -s quit >/dev/null 2>&1 || true ;; esac
