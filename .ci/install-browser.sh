#!/bin/sh
# Install Debian's chromium (and a Japanese font so screenshots show kanji) for the
# browser test of the HTML report (pytest -m browser). Does nothing when a chromium
# is already on PATH. Needs root (or sudo) and the Debian package mirror.
set -eu

if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
    echo "install-browser: chromium already installed: $(command -v chromium || command -v chromium-browser)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-browser: need root or sudo to apt-get install chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk
echo "install-browser: installed $(chromium --version 2>/dev/null || echo chromium)"
