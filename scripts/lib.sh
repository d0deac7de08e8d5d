# shellcheck shell=bash
# Shared by scripts/run and scripts/test: locate the add-on, check Odoo and
# PostgreSQL, install the Python dependencies. Sourced, not executed.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODULE=aftersales_service
PYTHON=${PYTHON:-python3}
export PIP_ROOT_USER_ACTION=ignore
# Odoo finds add-ons by folder name and the clone may be called anything, so
# a folder outside the clone holds a link named after the module (inside the
# clone, the link would make tools that follow links walk it forever).
STATE_DIR=${AFTERSALES_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aftersales_service/$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)}
ADDONS_DIR="$STATE_DIR/addons"
LOG_DIR="$STATE_DIR/log"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

check_odoo() {
    if ! "$PYTHON" -c "import odoo.release as r; assert r.version_info[:2] == (18, 0)" \
        2>/dev/null; then
        cat >&2 <<'MSG'
error: Odoo 18.0 is not importable with this Python.
Install it from upstream, for example:
    git clone --depth 1 --branch 18.0 https://github.com/odoo/odoo.git ~/odoo18
    sed -e '/^python-ldap/d' ~/odoo18/requirements.txt > /tmp/odoo-req.txt
    pip install -r /tmp/odoo-req.txt
    pip install --no-deps -e ~/odoo18 --config-settings editable_mode=compat
then run this command again (set PYTHON=... to use another interpreter).
MSG
        exit 1
    fi
}

odoo_core_addons() {
    # An editable install keeps the core add-ons beside the odoo package.
    "$PYTHON" - <<'PY'
import os, odoo
root = os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__)))
path = os.path.join(root, "addons")
print(path if os.path.isdir(os.path.join(path, "web")) else "")
PY
}

install_requirements() {
    # The OCA wheels declare odoo as a dependency, which no registry serves:
    # install them without dependencies; requirements.txt lists the rest.
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps \
        -r "$REPO/requirements.txt"
}

pg_args=()
parse_db_args() {
    # Keep --db_* options for Odoo and mirror them into PG* for psql tools.
    for arg in "$@"; do
        case "$arg" in
            --db_host=*) export PGHOST="${arg#*=}"; pg_args+=("$arg") ;;
            --db_port=*) export PGPORT="${arg#*=}"; pg_args+=("$arg") ;;
            --db_user=*) export PGUSER="${arg#*=}"; pg_args+=("$arg") ;;
            --db_password=*) export PGPASSWORD="${arg#*=}"; pg_args+=("$arg") ;;
        esac
    done
}

ensure_postgres() {
    if pg_isready -q -d postgres 2>/dev/null; then
        return
    fi
    if [ -z "${PGHOST:-}" ] && command -v pg_ctlcluster >/dev/null \
        && [ -d /etc/postgresql ]; then
        say "PostgreSQL does not answer; starting the local cluster."
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n 1)" main start \
            || true
        for _ in $(seq 1 30); do
            pg_isready -q -d postgres 2>/dev/null && return
            sleep 1
        done
    fi
    die "PostgreSQL does not answer (PGHOST=${PGHOST:-local socket}); start it or set PG*/--db_* options."
}

prepare_addons_path() {
    mkdir -p "$ADDONS_DIR"
    ln -sfn "$REPO" "$ADDONS_DIR/$MODULE"
    local core
    core=$(odoo_core_addons)
    ADDONS_PATH="$ADDONS_DIR"
    [ -n "$core" ] && ADDONS_PATH="$core,$ADDONS_PATH"
    export ADDONS_PATH
}

free_port() {
    "$PYTHON" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

wkhtmltopdf_help() {
    cat >&2 <<'MSG'
note: PDF reports (vouchers, claims, return applications, statements) need
wkhtmltopdf, which is not installed; everything else works without it.
Install Debian's package and restart Odoo:
    sudo apt-get install wkhtmltopdf
(other systems: a 0.12.6 build from https://wkhtmltopdf.org/downloads.html,
on the PATH of the user who runs Odoo).
MSG
}

ensure_wkhtmltopdf() {
    # PDF printing: install Debian's wkhtmltopdf when we may, else say how.
    # Returns 1 (without stopping) when it is still missing.
    command -v wkhtmltopdf >/dev/null && return 0
    local sudo=()
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            wkhtmltopdf_help
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null; then
        wkhtmltopdf_help
        return 1
    fi
    say "Installing wkhtmltopdf (Debian package) for PDF reports."
    if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq wkhtmltopdf \
        >>"${LOG:-/dev/null}" 2>&1; then
        # A fresh system may not know the package yet.
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get update -qq \
            >>"${LOG:-/dev/null}" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq wkhtmltopdf \
            >>"${LOG:-/dev/null}" 2>&1 || true
    fi
    command -v wkhtmltopdf >/dev/null && return 0
    wkhtmltopdf_help
    return 1
}

# Steps of a long command, one line each; their output goes to $LOG.
step_started=0
step() {
    step_started=$SECONDS
    printf '%s ' "$*" >&2
}
step_done() {
    printf '%s (%ss)\n' "${1:-done}" "$((SECONDS - step_started))" >&2
}
step_failed() {
    printf 'failed\n' >&2
    if [ -n "${LOG:-}" ] && [ -s "$LOG" ]; then
        say "---- last lines of $LOG"
        tail -n "${2:-25}" "$LOG" >&2
        say "----"
    fi
    die "$1 (full log: ${LOG:-none})"
}

odoo_progress() {
    # Read Odoo's log on stdin: append it to $LOG and show which module it
    # loads ("  modules 23/85 account" on a terminal, a dot per module else).
    local line
    printf '  ' >&2
    while IFS= read -r line; do
        printf '%s\n' "$line" >>"$LOG"
        [[ "$line" =~ Loading\ module\ ([^ ]+)\ \(([0-9]+)/([0-9]+)\) ]] || continue
        if [ -t 2 ]; then
            printf '\r\033[K  modules %s/%s %s ' "${BASH_REMATCH[2]}" \
                "${BASH_REMATCH[3]}" "${BASH_REMATCH[1]}" >&2
        else
            printf '.' >&2
        fi
    done
    if [ -t 2 ]; then printf '\r\033[K  ' >&2; else printf ' ' >&2; fi
    return 0
}
