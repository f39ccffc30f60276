#!/usr/bin/env bash
# End-to-end checks of the built microsite in a real browser. See tests/e2e/README.md.
#
#   bash tests/e2e/run.sh            # builds the site (cargo run -- build --output <tmp>/...) and checks it
#   bash tests/e2e/run.sh SITE_DIR   # checks an already built site folder instead
#
# Serves the site under its base path (from the home page's canonical URL, i.e. base_url in
# content/site.yaml: /ai-bubble/) on 127.0.0.1 with serve.py (http.server, text gzipped as GitHub
# Pages serves it) on a free port, then
# runs, in this order: Nu Html Checker (vnu.mjs), the browser checks (browser.mjs: JavaScript off,
# 360/390/1280 px, axe-core, page weight, dark scheme, screenshots) and Lighthouse (lighthouse.mjs).
# Prints one line per check ("ok   ..." or "FAIL ...") and, last, "e2e: N passed, M failed".
# Exit status 0 only when every check ran and passed; a missing tool is a failure, never a skip.
# Artifacts (screenshots, reports, logs): tests/e2e/artifacts/ (or $E2E_ARTIFACTS).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ART="${E2E_ARTIFACTS:-$HERE/artifacts}"
CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
export CHROME_PATH
START=$(date +%s)

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); printf 'ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL %s\n' "$*"; }
finish() {
  printf '\n(e2e took %ss; artifacts in %s)\n' "$(($(date +%s) - START))" "$ART"
  echo "e2e: $PASSED passed, $FAILED failed"
  if [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]; then exit 0; fi
  exit 1
}

TMP="$(mktemp -d "${TMPDIR:-/tmp}/burnrate-e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

case "$ART" in /*) ;; *) ART="$PWD/$ART" ;; esac
if [ -d "$ART" ]; then find "$ART" -mindepth 1 -delete; fi
mkdir -p "$ART"

# ---- 1. the tools: all of them, or the run fails --------------------------------------------
echo "== tools"
tools_ok=1
need() { # label, command...
  local label="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then ok "tool $label  ${out%%$'\n'*}"; else fail "tool $label  missing or broken (run: sudo bash tests/e2e/install.sh): ${out%%$'\n'*}"; tools_ok=0; fi
}
need python3 python3 --version
need chromium bash -c '[ -x "$CHROME_PATH" ] || { echo "no executable at $CHROME_PATH"; exit 1; }; "$CHROME_PATH" --version 2>/dev/null | grep -m1 .'
need java bash -c 'command -v java >/dev/null && java -version 2>&1 | grep -m1 version'
need node bash -c 'command -v node >/dev/null && v=$(node --version) && [ "${v#v}" != "$v" ] && [ "$(echo "${v#v}" | cut -d. -f1)" -ge 20 ] && echo "node $v" || { echo "node >= 20 needed, found ${v:-none}"; exit 1; }'
need npm-packages bash -c 'cd "$1" && node -e "
  const want = require(\"./package.json\").dependencies; const got = [];
  for (const [n, v] of Object.entries(want)) {
    const have = require(n + \"/package.json\").version;
    if (have !== v) { console.log(n + \" \" + have + \" installed, \" + v + \" wanted (npm ci)\"); process.exit(1); }
    got.push(n + \"@\" + have);
  }
  require(\"fs\").accessSync(require(\"path\").join(require.resolve(\"vnu-jar/package.json\"), \"../build/dist/vnu.jar\"));
  console.log(got.join(\" \"));"' _ "$HERE"
need cjk-font bash -c 'f=$(fc-list ":lang=zh" family 2>/dev/null | grep -m1 .) && [ -n "$f" ] && echo "$f"'
[ "$tools_ok" = 1 ] || { echo "missing tools: install them with tests/e2e/install.sh (as root)"; finish; }

# ---- 2. the site: build it, or take the folder given -------------------------------------------
echo "== site"
if [ $# -ge 1 ]; then
  SITE="$(cd "$1" 2>/dev/null && pwd)" || { fail "site  $1 is not a folder"; finish; }
  [ -f "$SITE/index.html" ] && ok "site  checking the built folder $SITE" || { fail "site  $SITE has no index.html"; finish; }
else
  if (cd "$ROOT" && cargo run --quiet -- build --output "$TMP/site") > "$ART/build.log" 2>&1; then
    SITE="$TMP/site"; ok "site  cargo run -- build: $(tail -n 1 "$ART/build.log")"
  else
    fail "site  cargo run -- build failed (artifacts/build.log):"; sed 's/^/       /' "$ART/build.log" | tail -n 20; finish
  fi
fi
# The base path: E2E_BASE_PATH, else the path of the home page's canonical URL (= base_url).
BASE_PATH="${E2E_BASE_PATH:-$(python3 - "$SITE/index.html" <<'PY'
import re, sys, urllib.parse
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<link\s[^>]*rel="canonical"[^>]*href="([^"]+)"', html) or re.search(r'<link\s[^>]*href="([^"]+)"[^>]*rel="canonical"', html)
print(urllib.parse.urlparse(m.group(1)).path if m else "/")
PY
)}"
BASE_PATH="/${BASE_PATH#/}"; BASE_PATH="${BASE_PATH%/}/"
SERVE="$TMP/serve"
if [ "$BASE_PATH" = "/" ]; then
  ln -s "$SITE" "$SERVE"
else
  mkdir -p "$SERVE$(dirname "${BASE_PATH%/}")"
  ln -s "$SITE" "$SERVE${BASE_PATH%/}"
fi

# ---- 3. serve it on loopback, on a port the kernel picks ---------------------------------------
# The interpreter itself (not a wrapper such as a pyenv shim), so that $! is the server's own pid.
PY="$(python3 -c 'import sys; print(sys.executable)')"
"$PY" -u "$HERE/serve.py" "$SERVE" > "$ART/http.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 100); do
  PORT="$(grep -m1 -o 'port [0-9]*' "$ART/http.log" 2>/dev/null | cut -d' ' -f2)"
  [ -n "$PORT" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
BASE="http://127.0.0.1:${PORT:-0}$BASE_PATH"
if [ -n "$PORT" ] && python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$BASE" 2>/dev/null; then
  ok "server  $BASE (tests/e2e/serve.py: http.server with gzip as GitHub Pages, pid $SERVER_PID)"
else
  fail "server  could not serve $SERVE on 127.0.0.1 (artifacts/http.log)"; finish
fi

# ---- 4. the checkers -----------------------------------------------------------------------------
# The limits only stop a hung checker; they are not speed checks: each is about four times what
# its stage takes on a usual CI host (a host 2.5 times slower once ran the browser past 600 s,
# and the kill read as a failed page). A stage stopped by its limit says so.
stage() { # name, timeout seconds, command...
  local name="$1" limit="$2"; shift 2
  local t0 rc took log="$ART/$name.log"
  echo "== $name"
  t0=$(date +%s)
  (cd "$HERE" && timeout --kill-after=10 "$limit" "$@") > "$log" 2>&1
  rc=$?
  took=$(($(date +%s) - t0))
  cat "$log"
  local p f
  p=$(grep -c '^ok ' "$log"); f=$(grep -c '^FAIL ' "$log")
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  if [ "$rc" -ne 0 ] && [ "$took" -ge "$limit" ]; then
    fail "$name  stopped at its ${limit}s limit (a hang, or a far slower host than usual; artifacts/$name.log)"
  elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    fail "$name  exited $rc without naming a failed check (a crash; artifacts/$name.log)"
  elif [ "$rc" -eq 0 ] && [ "$p" -eq 0 ]; then
    fail "$name  ran no check"
  fi
  echo "   ($name: ${took}s)"
}
stage vnu 900 node vnu.mjs "$SITE" "$ART"
stage browser 2400 node browser.mjs "$BASE" "$SITE" "$ART"
stage lighthouse 1800 node lighthouse.mjs "$BASE" "$SITE" "$ART"

finish
