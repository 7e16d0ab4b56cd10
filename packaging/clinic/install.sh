#!/bin/bash
# Install (or upgrade) the What Matters clinic service on a Debian 12 server.
#
#   sudo packaging/clinic/install.sh --host wmk.trust.nhs.uk [--host ...] [--sqlite] [SOURCE]
#
# SOURCE is the project to install: a source folder (default: the repository this
# script is in) or a wheel (what-matters-kiosk-*.whl). --host names the server as
# tablets and staff consoles reach it (repeat for more names or an IP address);
# it is needed the first time, when the clinic's keys and TLS certificate are
# made. --sqlite uses SQLite in the clinic folder instead of PostgreSQL (small
# clinics, trials): PostgreSQL is not installed and clinic.toml names no database.
#
# Running it again upgrades the program; settings, passphrase, keys and database
# are kept, and the service backs the database up and brings it up to date when
# it starts again. docs/deployment.md is the guide.
#
# DESTDIR=/some/root lays the files out under that folder instead, and skips
# what would change the running system (apt-get, users, pip, PostgreSQL,
# systemctl, kiosk clinic init), saying so: for tests and for building images.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DESTDIR="${DESTDIR:-}"
DESTDIR="${DESTDIR%/}"

SERVICE_USER=wmclinic
UNIT=what-matters-clinic.service
PREFIX=/opt/what-matters-clinic
CONFIG_DIR=/etc/what-matters-clinic
CONFIG="$CONFIG_DIR/clinic.toml"
PASSPHRASE="$CONFIG_DIR/passphrase"
STATE_DIR=/var/lib/what-matters-clinic
BACKUP_DIR=/var/backups/what-matters-clinic
ADMIN=/usr/local/sbin/what-matters-clinic-admin
CERT_FILE=clinic-cert.pem # kiosk/clinic/tls.py CERT_FILE

say() { printf '%s\n' "install.sh: $*"; }
fail() {
    printf '%s\n' "install.sh: $*" >&2
    exit 1
}
skipped() { say "DESTDIR is set, so not running: $*"; }
# The comment block at the top of this file, without its "# ".
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; }

SOURCE=""
SQLITE=no
HOSTS=()
while [ $# -gt 0 ]; do
    case "$1" in
    -h | --help)
        usage
        exit 0
        ;;
    --sqlite) SQLITE=yes ;;
    --host)
        if [ $# -lt 2 ] || [ -z "$2" ]; then
            fail "--host needs a name, e.g. --host wmk.trust.nhs.uk"
        fi
        HOSTS+=("$2")
        shift
        ;;
    --host=*) HOSTS+=("${1#--host=}") ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *)
        [ -z "$SOURCE" ] || fail "give one source folder or wheel, not several"
        SOURCE="$1"
        ;;
    esac
    shift
done
SOURCE="${SOURCE:-$REPO}"
if [ -d "$SOURCE" ]; then
    SOURCE="$(cd "$SOURCE" && pwd)"
    [ -f "$SOURCE/pyproject.toml" ] || fail "$SOURCE has no pyproject.toml: give the project's folder or a wheel"
    FORMS="$SOURCE/forms"
elif [ -f "$SOURCE" ] && [[ "$SOURCE" == *.whl ]]; then
    SOURCE="$(cd "$(dirname "$SOURCE")" && pwd)/$(basename "$SOURCE")"
    # A wheel holds the program; the questionnaires come from the repository
    # this script belongs to, which should be the same release.
    FORMS="$REPO/forms"
else
    fail "no project at $SOURCE: give the source folder or a .whl file"
fi
[ -d "$FORMS" ] || fail "no forms/ folder at $FORMS: the service needs the questionnaires"

if [ -z "$DESTDIR" ]; then
    [ "$(id -u)" -eq 0 ] || fail "run me as root (sudo $0 ...), or set DESTDIR to lay the files out elsewhere"
    if [ -r /etc/os-release ]; then
        # shellcheck disable=SC1091
        . /etc/os-release
        if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
            say "warning: this is made for Debian 12; this system says ${PRETTY_NAME:-unknown}"
        fi
    fi
    # Asked for before anything is changed, not after a long download.
    if [ ! -e "$STATE_DIR/$CERT_FILE" ] && [ ${#HOSTS[@]} -eq 0 ]; then
        fail "the clinic is new: give the name tablets will use to reach this server, e.g." \
            "--host wmk.trust.nhs.uk (repeat --host for more names or an IP address)"
    fi
fi

# 1. Packages: Python's venv and, unless --sqlite, PostgreSQL (server and the
#    pg_dump/pg_restore the backups use).
packages=(python3 python3-venv ca-certificates)
[ "$SQLITE" = yes ] || packages+=(postgresql postgresql-client)
if [ -z "$DESTDIR" ]; then
    say "installing packages: ${packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q "${packages[@]}"
else
    skipped "apt-get install ${packages[*]}"
fi

# 2. The service user: a system user, no password, no login shell; its home is
#    the clinic folder (nothing is kept there but what the service makes).
if [ -z "$DESTDIR" ]; then
    if id -u "$SERVICE_USER" >/dev/null 2>&1; then
        say "user $SERVICE_USER exists"
    else
        useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "What Matters clinic service" "$SERVICE_USER"
        say "made the system user $SERVICE_USER"
    fi
else
    skipped "useradd --system $SERVICE_USER"
fi

# 3. The program: a new virtual environment per release, switched to only once
#    it is complete, so a failed download leaves the running service untouched.
#    /opt/what-matters-clinic/venv points at the current one; the previous one
#    is kept for going back.
mkdir -p "$DESTDIR$PREFIX"
if [ -z "$DESTDIR" ]; then
    release="venv-$(date +%Y%m%d-%H%M%S)"
    new="$PREFIX/$release"
    say "making $new and installing $SOURCE into it (this downloads the dependencies)"
    python3 -m venv "$new"
    "$new/bin/pip" install --quiet "$SOURCE" || {
        rm -rf "$new"
        fail "pip install failed (see above); nothing was changed"
    }
    cp -R -- "$FORMS" "$new/forms"
    chmod -R u+rwX,go+rX,go-w "$new"
    "$new/bin/kiosk" clinic --help >/dev/null || {
        rm -rf "$new"
        fail "the new installation does not run (kiosk clinic --help failed); nothing was changed"
    }
    if [ -d "$PREFIX/venv" ] && [ ! -L "$PREFIX/venv" ]; then
        mv -- "$PREFIX/venv" "$PREFIX/venv-before-$release"
    fi
    ln -sfn "$release" "$PREFIX/venv.switch"
    mv -T -- "$PREFIX/venv.switch" "$PREFIX/venv"
    say "$PREFIX/venv is now $release"
else
    skipped "python3 -m venv; pip install $SOURCE (into $PREFIX/venv, with forms/ beside it)"
fi

# 4. Settings, passphrase, folders.
install -d -m 0755 "$DESTDIR$CONFIG_DIR"
if [ -e "$DESTDIR$CONFIG" ]; then
    say "keeping the existing $CONFIG"
else
    install -m 0640 "$HERE/clinic.toml" "$DESTDIR$CONFIG"
    if [ "$SQLITE" = yes ]; then
        # SQLite in the clinic folder: no [clinic] database.
        sed -i 's|^database = "postgresql|# database = "postgresql|' "$DESTDIR$CONFIG"
    fi
    say "wrote $CONFIG (docs/configuration.md describes every key)"
fi
if [ -e "$DESTDIR$PASSPHRASE" ]; then
    say "keeping the existing passphrase $PASSPHRASE"
else
    (
        umask 077
        head -c 32 /dev/urandom | base64 >"$DESTDIR$PASSPHRASE"
    )
    chmod 0600 "$DESTDIR$PASSPHRASE"
    say "made a random passphrase in $PASSPHRASE (mode 0600): keep a copy in the trust's password safe"
fi
install -d -m 0700 "$DESTDIR$BACKUP_DIR"
if [ -z "$DESTDIR" ]; then
    chown root:"$SERVICE_USER" "$CONFIG"
    chown root:root "$PASSPHRASE"
    chown "$SERVICE_USER:$SERVICE_USER" "$BACKUP_DIR"
else
    skipped "chown root:$SERVICE_USER $CONFIG; chown $SERVICE_USER $BACKUP_DIR"
fi

# 5. The service, and the admin command: `kiosk clinic ACTION ...` run as the
#    service user with the service's settings and passphrase.
install -D -m 0644 "$HERE/what-matters-clinic.service" "$DESTDIR/etc/systemd/system/$UNIT"
say "installed /etc/systemd/system/$UNIT"
# The hospital's HL7 v2 feed (docs/hospital-feeds.md): installed, enabled only by hand.
install -D -m 0644 "$HERE/what-matters-clinic-mllp.service" \
    "$DESTDIR/etc/systemd/system/what-matters-clinic-mllp.service"
say "installed /etc/systemd/system/what-matters-clinic-mllp.service (not enabled: docs/hospital-feeds.md)"
install -d -m 0755 "$DESTDIR$(dirname "$ADMIN")"
cat >"$DESTDIR$ADMIN" <<EOF
#!/bin/sh
# what-matters-clinic-admin ACTION [ARGUMENTS]: runs \`kiosk clinic ACTION ...\`
# (add-user, enrolment-code, revoke, clinic-list, rotate-key, check-config,
# backup, restore) as the service user $SERVICE_USER, with $CONFIG and the
# passphrase handed over the way the service gets it (a systemd credential).
# Installed by packaging/clinic/install.sh; docs/deployment.md shows its uses.
set -eu
if [ "\$(id -u)" -ne 0 ]; then
    echo "what-matters-clinic-admin: run me as root (sudo what-matters-clinic-admin ...)" >&2
    exit 1
fi
if [ \$# -eq 0 ]; then
    exec $PREFIX/venv/bin/kiosk clinic --help
fi
# Relative paths work where $SERVICE_USER may enter the current folder; elsewhere
# (root's home, say) give absolute paths.
if runuser -u $SERVICE_USER -- test -x "\$PWD" 2>/dev/null; then here=--same-dir; else here=--working-directory=/; fi
# --pty with --pipe: a terminal gets a terminal (passwords are typed unseen),
# anything else (a pipe, a file) is passed through as it is.
exec systemd-run --quiet --wait --collect --pty --pipe "\$here" \\
    --uid=$SERVICE_USER --gid=$SERVICE_USER \\
    --property=LoadCredential=passphrase:$PASSPHRASE \\
    --property=StateDirectory=what-matters-clinic --property=StateDirectoryMode=0700 \\
    --property=UMask=0077 \\
    --setenv=KIOSK_CLINIC_CONFIG=$CONFIG \\
    --setenv=KIOSK_FORMS_DIR=$PREFIX/venv/forms \\
    $PREFIX/venv/bin/kiosk clinic "\$@"
EOF
chmod 0755 "$DESTDIR$ADMIN"
say "installed $ADMIN"

# 6. Database, clinic keys, start.
if [ -n "$DESTDIR" ]; then
    [ "$SQLITE" = yes ] || skipped "$HERE/postgresql-setup.sh"
    skipped "kiosk clinic init --host ${HOSTS[*]:-NAME}; systemctl daemon-reload; systemctl enable $UNIT"
    say "laid out under $DESTDIR"
    exit 0
fi
[ "$SQLITE" = yes ] || bash "$HERE/postgresql-setup.sh"
systemctl daemon-reload
if [ -e "$STATE_DIR/$CERT_FILE" ]; then
    say "the clinic in $STATE_DIR exists: keeping its keys and certificate"
    [ ${#HOSTS[@]} -eq 0 ] ||
        say "note: --host is only used for a new clinic; a new certificate means enrolling every tablet again (docs/clinic.md)"
else
    host_args=()
    for host in "${HOSTS[@]}"; do host_args+=(--host "$host"); done
    say "making the clinic's keys and TLS certificate for ${HOSTS[*]}"
    "$ADMIN" init "${host_args[@]}"
fi
systemctl enable "$UNIT"
if "$ADMIN" check-config; then
    systemctl restart "$UNIT"
    say "started. Check: systemctl status what-matters-clinic; then docs/deployment.md, \"Start and check\""
else
    say "not started: fix what check-config says above, then: systemctl restart what-matters-clinic"
    exit 1
fi
# Keep the current program and the one before it; older ones go.
current="$(readlink "$PREFIX/venv")"
mapfile -t releases < <(ls -1dt -- "$PREFIX"/venv-* 2>/dev/null)
others=0
for old in "${releases[@]}"; do
    old="$(basename -- "$old")"
    [ "$old" != "$current" ] || continue
    others=$((others + 1))
    [ "$others" -gt 1 ] || continue
    rm -rf -- "${PREFIX:?}/$old"
    say "removed the old program $PREFIX/$old"
done
