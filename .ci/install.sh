#!/usr/bin/env bash
# frmr and its test tools into the virtual environment $VENV (made when missing).
# pip resolves every requirement against the index again even when nothing changed: on CI's
# fresh clone .ci/run installed, then tests/run.sh installed the same again (6 s of CPU, up to
# a minute of wall on a slow index). The install is redone only when pyproject.toml is not the
# one last installed into this environment; editable, so source edits need none.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
stamp="$VENV/.frmr-installed"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! sha256sum --status -c "$stamp" 2>/dev/null; then
    rm -f "$stamp"
    "$VENV/bin/pip" install -q -e '.[test]' 2> >(grep -v "^WARNING: Location" >&2)
    sha256sum pyproject.toml >"$stamp"
fi
