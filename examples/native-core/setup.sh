#!/usr/bin/env bash
# Sets up examples/native-core; idempotent. Installs what is missing (as root; otherwise it names
# the packages), makes cargo build offline from Debian's crate sources when crates.io cannot be
# reached, builds the Rust and C++ parts, generates the inputs, and checks that perf can record.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
log() { printf '[native-core] %s\n' "$*"; }

packages=(cmake g++ make libbenchmark-dev librust-criterion-dev hyperfine linux-perf valgrind binutils heaptrack zstd time)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "missing packages: ${missing[*]} (sudo apt-get install -y ${missing[*]})"
    exit 1
  fi
fi
command -v cargo >/dev/null || { log "cargo not found: install Rust (rustup.rs) and run again"; exit 1; }

# crates.io, or Debian's crate sources (librust-criterion-dev) when it cannot be reached. The
# replacement goes to .cargo/config.toml here (ignored by git), which cargo reads for rust/.
offline_config=.cargo/config.toml
if [ ! -f rust/Cargo.lock ]; then
  if ! (cd rust && timeout 60 cargo generate-lockfile >/dev/null 2>&1); then
    if [ -d /usr/share/cargo/registry/criterion-0.3.6 ] || ls -d /usr/share/cargo/registry/criterion-0.3.* >/dev/null 2>&1; then
      log "crates.io is unreachable: building from Debian's crate sources in /usr/share/cargo/registry"
      mkdir -p .cargo
      cat > "$offline_config" <<'TOML'
# Written by setup.sh because crates.io was unreachable: crates come from Debian's packages.
[source.crates-io]
replace-with = "debian-packages"

[source.debian-packages]
directory = "/usr/share/cargo/registry"
TOML
      (cd rust && cargo generate-lockfile --offline >/dev/null)
    else
      log "cargo cannot reach crates.io and Debian's librust-criterion-dev is not installed"
      exit 1
    fi
  fi
fi

log "building the Rust workspace (release, benches)"
(cd rust && cargo build --release --quiet && cargo bench --no-run --quiet 2>/dev/null)

log "building the C++ library and its Google Benchmark micro-benchmarks"
cmake -S cpp -B build/cpp -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/cpp -j "$(nproc)" >/dev/null

mkdir -p inputs
for shape in light typical heavy; do
  [ -s "inputs/$shape.log" ] || rust/target/release/wordfreq generate "$shape" > "inputs/$shape.log"
done
log "inputs: $(cd inputs && wc -l light.log typical.log heavy.log | tail -n1 | awk '{print $1}') lines in inputs/{light,typical,heavy}.log"

probe=$(mktemp)
if perf record -q -e cpu-clock -g -o "$probe" -- true >/dev/null 2>&1; then
  log "perf record -e cpu-clock -g works"
else
  log "perf record -e cpu-clock -g does not work here (kernel.perf_event_paranoid=$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null || echo '?'))."
  log "allow it with: sudo sysctl kernel.perf_event_paranoid=1 (or 2 for user-space only); in a container, run it with --cap-add PERFMON or a seccomp profile that allows perf_event_open"
  rm -f "$probe"
  exit 1
fi
rm -f "$probe"
