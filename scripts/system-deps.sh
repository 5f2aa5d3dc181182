#!/usr/bin/env bash
# Installs the system packages the test suite needs, if they are missing:
# Debian's Chromium (driven by Playwright in tests/browser), GNU gettext
# (the catalogue check) and the Noto CJK fonts (Chinese text in screenshots).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Please install as root: apt-get install ${need[*]}" >&2; exit 1
  fi
fi
if command -v apt-get >/dev/null 2>&1; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  echo "No apt-get here: install ${need[*]} with your package manager." >&2
  exit 1
fi
