#!/usr/bin/env bash
set -euo pipefail
# Debian tools the tests drive as a user would: tmux (the terminal), rsync and scp over a
# real sshd on loopback (intake), pdftoppm/pdftotext (the PDFs frmr writes must render),
# msgfmt (the Russian catalogue of click's messages is compiled from its .po), Tesseract's
# Russian and orientation models (the daemon reads dropped удостоверения, model/ocr).
needed="tmux:tmux rsync:rsync sshd:openssh-server scp:openssh-client pdftoppm:poppler-utils msgfmt:gettext /usr/share/tesseract-ocr/5/tessdata/rus.traineddata:tesseract-ocr-rus /usr/share/tesseract-ocr/5/tessdata/osd.traineddata:tesseract-ocr"
# A command on PATH (or in /usr/sbin), or a data file by its absolute path.
present() {
    case "$1" in
        /*) [ -f "$1" ] ;;
        *) [ -x "$(command -v "$1" || echo /usr/sbin/"$1")" ] ;;
    esac
}
missing=""
for pair in $needed; do
    present "${pair%%:*}" || missing="$missing ${pair#*:}"
done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
for pair in $needed; do
    present "${pair%%:*}" \
        || { echo "CI: ${pair#*:} is required and could not be installed" >&2; exit 1; }
done
