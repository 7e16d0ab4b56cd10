#!/bin/bash
# Make the clinic service's PostgreSQL database, once: a role `wmclinic` that logs
# in without a password through the local socket (peer authentication: the
# operating-system user wmclinic, and no one else, is that role) and the
# database `whatmatters` it owns, in UTF-8. Safe to run again: it changes
# nothing that is already there. Run as root on the database server.
#
#   sudo packaging/clinic/postgresql-setup.sh
#
# install.sh runs it. To restore a backup into an empty database, rename the
# old database first (docs/deployment.md, "Restoring") and run this again.
set -euo pipefail

ROLE="${WMCLINIC_DB_ROLE:-wmclinic}"
DATABASE="${WMCLINIC_DB_NAME:-whatmatters}"

say() { printf '%s\n' "postgresql-setup.sh: $*"; }
fail() {
    printf '%s\n' "postgresql-setup.sh: $*" >&2
    exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run me as root (sudo $0)"
command -v psql >/dev/null || fail "psql is not installed: apt-get install postgresql"
id -u postgres >/dev/null 2>&1 || fail "there is no postgres user: is PostgreSQL installed?"
[[ "$ROLE" =~ ^[a-z_][a-z0-9_]*$ ]] || fail "the role name must be lower-case letters, digits and _: $ROLE"
[[ "$DATABASE" =~ ^[a-z_][a-z0-9_]*$ ]] || fail "the database name must be lower-case letters, digits and _: $DATABASE"

# psql as the postgres superuser, through the local socket; stops at the first error.
sql() {
    (cd / && runuser -u postgres -- psql --no-psqlrc --quiet --tuples-only --no-align \
        -v ON_ERROR_STOP=1 --dbname=postgres "$@")
}

sql --command="SELECT 1" >/dev/null ||
    fail "cannot reach PostgreSQL through its socket: is it running? (systemctl status postgresql)"

if [ "$(sql --command="SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" = 1 ]; then
    say "role $ROLE exists"
else
    # LOGIN and nothing more: no password, not a superuser, cannot make databases or roles.
    sql --command="CREATE ROLE $ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
    say "made the role $ROLE (peer authentication through the local socket; no password)"
fi

owner="$(sql --command="SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DATABASE'")"
if [ -n "$owner" ]; then
    [ "$owner" = "$ROLE" ] ||
        fail "the database $DATABASE exists but belongs to $owner, not $ROLE: not touching it"
    say "database $DATABASE exists, owned by $ROLE"
else
    # From template0, so the encoding and locale are these whatever the cluster's defaults.
    sql --command="CREATE DATABASE $DATABASE OWNER $ROLE ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
    say "made the database $DATABASE (UTF-8), owned by $ROLE"
fi
# Only its owner (and the postgres superuser) may connect to it.
sql --command="REVOKE CONNECT, TEMPORARY ON DATABASE $DATABASE FROM PUBLIC"
# Peer authentication is what keeps other local users out. Debian's pg_hba.conf
# uses it for local connections; say so if this server trusts anyone instead.
trusting="$(sql --command="SELECT count(*) FROM pg_hba_file_rules WHERE auth_method = 'trust'
    AND ('all' = ANY(database) OR '$DATABASE' = ANY(database))
    AND ('all' = ANY(user_name) OR '$ROLE' = ANY(user_name))")"
if [ "$trusting" != 0 ]; then
    say "warning: pg_hba.conf has 'trust' lines that let anyone on this server connect as $ROLE"
    say "without checking who they are. Use 'peer' for local connections (Debian's default) and"
    say "reload PostgreSQL: see /etc/postgresql/*/main/pg_hba.conf"
fi
say "ready: postgresql+psycopg://$ROLE@/$DATABASE?host=/run/postgresql"
