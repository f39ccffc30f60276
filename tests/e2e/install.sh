#!/usr/bin/env bash
# Installs what tests/e2e/run.sh needs, on Debian 12, as root. Safe to run again.
#
#   sudo bash tests/e2e/install.sh
#
# From Debian: chromium (/usr/bin/chromium), fonts-noto-cjk (Chinese text in screenshots),
# default-jre-headless (only when there is no java: the Nu Html Checker is a Java program),
# nodejs + npm (only when there is no node). From npm, the exact versions locked in
# tests/e2e/package-lock.json, with install scripts off (vnu-jar's would download a JDK):
# playwright-core, axe-core, vnu-jar, lighthouse 12.2.3 (Lighthouse 13 needs Node 22).
# Fails, saying what is missing, if anything is not there afterwards.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export DEBIAN_FRONTEND=noninteractive
pkgs=(chromium fonts-noto-cjk fontconfig)
command -v java >/dev/null 2>&1 || pkgs+=(default-jre-headless)
command -v node >/dev/null 2>&1 || pkgs+=(nodejs npm)
command -v python3 >/dev/null 2>&1 || pkgs+=(python3)
# Wait for another apt (an unattended upgrade, a second installer) rather than fail at once.
apt_wait=(-o DPkg::Lock::Timeout=300)
apt-get "${apt_wait[@]}" update -q
apt-get "${apt_wait[@]}" install -y -q --no-install-recommends "${pkgs[@]}"

(cd "$HERE" && npm ci --ignore-scripts --no-audit --no-fund)

# ---- verify: every tool answers, or this script fails ------------------------------------------
missing=0
check() { # label, command...
  local label="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then
    printf 'install: %-16s %s\n' "$label" "${out%%$'\n'*}"
  else
    printf 'install: %-16s MISSING: %s\n' "$label" "${out%%$'\n'*}" >&2
    missing=1
  fi
}
check chromium bash -c '[ -x /usr/bin/chromium ] && /usr/bin/chromium --version 2>/dev/null | grep -m1 .'
check java bash -c 'java -version 2>&1 | grep -m1 version'
check node bash -c 'v=$(node --version) && [ "$(echo "${v#v}" | cut -d. -f1)" -ge 20 ] && echo "node $v" || { echo "node >= 20 needed (playwright-core), found ${v:-none}"; exit 1; }'
check python3 python3 --version
check cjk-font bash -c 'f=$(fc-list ":lang=zh" family | grep -m1 .) && echo "$f"'
check vnu.jar bash -c 'cd "$1" && java -jar node_modules/vnu-jar/build/dist/vnu.jar --version' _ "$HERE"
check lighthouse bash -c 'cd "$1" && node node_modules/lighthouse/cli/index.js --version' _ "$HERE"
check playwright-core bash -c 'cd "$1" && node -e "require(\"playwright-core\"); console.log(require(\"playwright-core/package.json\").version)"' _ "$HERE"
check axe-core bash -c 'cd "$1" && node -e "require.resolve(\"axe-core/axe.min.js\"); console.log(require(\"axe-core/package.json\").version)"' _ "$HERE"
if [ "$missing" -ne 0 ]; then
  echo "install: FAILED, see MISSING above" >&2
  exit 1
fi
echo "install: all e2e tools present"
