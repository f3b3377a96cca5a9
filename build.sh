#!/usr/bin/env bash
# The project's one entry point. On a fresh Debian machine it installs what is missing, then:
#   ./build.sh test            every test project (and the fuzz smoke runs); ends with "N passed, N failed[, N skipped]"
#   ./build.sh publish         the Native AOT binary at artifacts/sequencer
#   ./build.sh demo [ARGS…]    publish, then run the binary's main job: sequencer cluster (ARGS go to it, e.g. --voters 100)
#   ./build.sh bench [ARGS…]   BenchmarkDotNet suites (ARGS go to BenchmarkSwitcher, e.g. --filter '*Vote*')
#   ./build.sh fuzz [ARGS…]    fuzz targets under AFL++ (see fuzz/run.sh --help)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian packages the build needs: the static crypto libraries the binary links, the AOT linker's toolchain,
# AFL++ for the fuzz targets, and iproute2 for the network-namespace test (where namespaces cannot be made, it runs
# its two groups on two loopback addresses instead and says so).
apt_packages=(libsecp256k1-dev libsodium-dev clang afl++ iproute2)

ensure_prerequisites() {
  local missing=() pkg
  for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
      echo "build.sh: installing ${missing[*]}" >&2
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "build.sh: missing Debian packages: ${missing[*]}" >&2
      echo "build.sh: install them with: sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  local want
  want=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' global.json)
  if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q "^$want "; then
    echo "build.sh: the .NET SDK $want (global.json) is required; it is not installed" >&2
    exit 1
  fi
  # The js-libp2p node of the interop tests: `npm ci` from interop/js's committed lock. Without Node.js 20+ and npm
  # it says what to install; the build goes on and the interop tests fail, saying the same.
  interop/install-js.sh || echo "build.sh: the interop tests will fail until the js-libp2p node installs" >&2
}

# Sums the per-assembly summaries of `dotnet test` ("Passed!  - Failed: 0, Passed: 7, Skipped: 0, ...").
passed=0 failed=0 skipped=0
count_results() {
  local log=$1 line f p s
  while IFS= read -r line; do
    f=$(sed -n 's/.*Failed: *\([0-9]*\),.*/\1/p' <<<"$line")
    p=$(sed -n 's/.*Passed: *\([0-9]*\),.*/\1/p' <<<"$line")
    s=$(sed -n 's/.*Skipped: *\([0-9]*\),.*/\1/p' <<<"$line")
    failed=$((failed + ${f:-0})); passed=$((passed + ${p:-0})); skipped=$((skipped + ${s:-0}))
  done < <(grep -E '^(Passed|Failed)! +- ' "$log" || true)
}

run_tests() {
  mkdir -p artifacts
  local log=artifacts/test.log status=0
  dotnet build Sequencer.sln -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
  # The end-to-end tests drive the published native binary, as an operator would.
  publish || { echo "0 passed, 1 failed"; exit 1; }
  local project
  for project in tests/*/*.csproj; do
    # Libraries under tests/ (the simulator) hold no tests of their own.
    grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
    local before=$((passed + failed + skipped)) project_log
    project_log="artifacts/test-$(basename "$project" .csproj).log"
    dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee "$project_log" || status=1
    count_results "$project_log"
    # A crashed or aborted test host prints no summary: count the project as one failure, never as nothing.
    # (A project that has no tests yet says so and is not a failure.)
    if [ $((passed + failed + skipped)) -eq "$before" ] && ! grep -q 'No test is available' "$project_log"; then
      failed=$((failed + 1)); status=1
    fi
  done
  cat artifacts/test-*.log >"$log"
  if [ -x fuzz/run.sh ]; then
    # Every fuzz target runs briefly under AFL++ on its seed corpus; each target counts as one test.
    local fuzz_log=artifacts/fuzz-smoke.log
    fuzz/run.sh --smoke 2>&1 | tee "$fuzz_log" || status=1
    local fp ff
    fp=$(grep -c '^fuzz-smoke: PASS' "$fuzz_log" || true)
    ff=$(grep -c '^fuzz-smoke: FAIL' "$fuzz_log" || true)
    passed=$((passed + fp)); failed=$((failed + ff))
  fi
  [ "$failed" -eq 0 ] || status=1
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  return $status
}

publish() {
  dotnet publish src/Sequencer.Host/Sequencer.Host.csproj -c Release -r linux-x64 -nologo -v quiet \
    -clp:ErrorsOnly -o artifacts/publish
  cp artifacts/publish/sequencer artifacts/sequencer
  echo "build.sh: published artifacts/sequencer ($(du -h artifacts/sequencer | cut -f1))" >&2
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  test)    ensure_prerequisites; run_tests ;;
  publish) ensure_prerequisites; publish ;;
  demo)    ensure_prerequisites; publish; exec artifacts/sequencer cluster "$@" ;;
  bench)   ensure_prerequisites; publish
           dotnet run --project bench/Sequencer.Benchmarks -c Release -- "$@" ;;
  fuzz)    ensure_prerequisites; exec fuzz/run.sh "$@" ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
