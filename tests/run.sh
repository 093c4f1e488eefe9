#!/usr/bin/env bash
# The whole test suite, as README says: installs what it needs, starts a throw-away
# PostgreSQL for the registry tests, runs pytest, and stops the server whatever happens.
#   bash tests/run.sh [--quick] [pytest args…]
# --quick leaves out the real-process stories (marker real_process: SIGKILL loops, sshd and
# scp, tmpfs disks, PostgreSQL races, fuzzing, tmux, a real daemon, load on a real server) and
# PostgreSQL with them: the tier to run after each edit. CI and README run everything.
# Three workers on the two cores (four for --quick): many tests wait on a process, a server
# or a poll, and another worker fills those waits. The quick tier, idle machine, session 9:
# -n 3 109.5 s, -n 4 84.5 and 91.6 s of pytest; session 11, -n 4: 75–87 s of wall in eight
# runs (-n 5 and -n 6 no better within the machine's noise). The real-process stories keep
# three, their timing windows sized for that load. worksteal with tests/conftest.py's
# long-first order starts the long stories early and ends on short tests.
# VENV picks the virtual environment (default .venv; created when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
VENV="$VENV" bash .ci/install.sh

# The tests drive real tools (tmux, scp through sshd, pdftoppm); as root they are installed
# from Debian's packages, otherwise the script names what is missing.
bash .ci/tools.sh

# Bytecode is written and reused, as Python does by default and as an installed frmr has it
# (pip compiles at install). With PYTHONDONTWRITEBYTECODE=1 (set in some shells) every worker
# and every `frmr` or `frmr-registry` child compiled frmr's sources again, and every worker
# re-rewrote each test module's asserts: ~0.1 s of CPU a process, ~4 s a worker.
unset PYTHONDONTWRITEBYTECODE

if [ "${1:-}" = "--quick" ]; then
    shift
    export PATH="$PWD/$VENV/bin:$PATH"
    FRMR_TEST_NO_PG=1 exec "$VENV/bin/python" -m pytest -n 4 --dist worksteal -p no:cacheprovider \
        -m "not real_process" "$@"
fi

export FRMR_PG_DIR="${FRMR_PG_DIR:-$(mktemp -d /tmp/frmr-pg.XXXXXX)}"
trap 'bash .ci/postgres.sh stop' EXIT
eval "$(bash .ci/postgres.sh start)"

export PATH="$PWD/$VENV/bin:$PATH"
"$VENV/bin/python" -m pytest -n 3 --dist worksteal -p no:cacheprovider "$@"
