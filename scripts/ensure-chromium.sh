#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed for the SDK's browser tests
# (dashboard and marketplace pages in headless Chromium, driven by Selenium), with a Korean font
# (fonts-nanum) so the pages' screenshots show Korean text rather than empty boxes. Idempotent; the
# install waits at most 5 minutes for another apt run to let go of the package lock.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
present() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/truetype/nanum ]; }

if ! present; then
  echo "ensure-chromium: installing chromium, chromium-driver and fonts-nanum"
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    chromium chromium-driver fonts-nanum >/dev/null
fi
present || { echo "ensure-chromium: chromium, chromedriver or fonts-nanum missing after install" >&2; exit 1; }
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1), $(/usr/bin/chromedriver --version | head -n 1)"
