#!/usr/bin/env bash
# Runs the SharpFuzz targets of fuzz/Sequencer.Fuzz under AFL++.
#
#   fuzz/run.sh [--target NAME]… [--seconds N]   fuzz each target (default: all) for N seconds (default 60);
#                                                findings under fuzz/findings/<target>/, resumed on the next run
#   fuzz/run.sh --smoke [--seconds N]            every target from its seed corpus for N seconds (default: 90 s
#                                                shared out, 3–10 s each); one line each:
#                                                "fuzz-smoke: PASS <target> execs=<n> execs/s=<r>" or
#                                                "fuzz-smoke: FAIL <target> <why>"; a crashing or hanging input is
#                                                copied to fuzz/regressions/<target>/ (replayed by Sequencer.Fuzz.Tests)
#   fuzz/run.sh --list                           the target names
#
# Seeds live in fuzz/corpus/<target>/. To triage an input in-process (uninstrumented, with the exception printed):
#   dotnet fuzz/Sequencer.Fuzz/bin/Release/net10.0/Sequencer.Fuzz.dll <target> FILE…
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; }

targets=() seconds='' smoke=0 list=0
while [ $# -gt 0 ]; do
  case "$1" in
    --target)  [ $# -ge 2 ] || { usage >&2; exit 2; }; targets+=("$2"); shift 2 ;;
    --seconds) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --seconds needs a positive number" >&2; exit 2; }
               seconds=$2; shift 2 ;;
    --smoke)   smoke=1; shift ;;
    --list)    list=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *)         echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ $smoke -eq 1 ] || seconds=${seconds:-60}

bin=artifacts/fuzz/bin
build() {
  # A fresh copy each time: sharpfuzz instruments in place and refuses an assembly it already instrumented.
  rm -rf "$bin"
  dotnet publish fuzz/Sequencer.Fuzz/Sequencer.Fuzz.csproj -c Release -nologo -v quiet -clp:ErrorsOnly -o "$bin" >&2
  # Listed before instrumenting: instrumented code may only run under afl-fuzz, which provides the coverage map.
  all_targets=$(dotnet "$bin/Sequencer.Fuzz.dll" --list)
  dotnet tool restore >/dev/null
  # Only the code under test is instrumented; the harness (Sequencer.Fuzz.dll) is not, or its coverage would drown
  # the decoders' and its start-up would write to a coverage map that does not exist yet.
  local assembly
  for assembly in Sequencer.Core Sequencer.Net; do
    dotnet sharpfuzz "$bin/$assembly.dll" >/dev/null
  done
}

# What afl-fuzz needs on a CI box nobody tuned: no CPU-governor, core_pattern or CPU-binding demands (cores are shared),
# no curses UI, and no check for AFL's compile-time instrumentation (the target is `dotnet`; SharpFuzz instruments IL).
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_SKIP_BIN_CHECK=1
# A second run continues a campaign from its queue instead of refusing the existing output folder.
export AFL_AUTORESUME=1
# -m limits address space, which the .NET runtime reserves by the gigabyte whatever it uses; the GC's hard heap limit
# (given to the target only, not to the build) is the memory limit that works: an input that makes a decoder allocate
# past it crashes with OutOfMemoryException.
heap_limit=0x10000000
# Decoders take microseconds; the timeout is generous because it also covers the start of a fresh .NET process after
# SharpFuzz's out-of-process server restarts a child that crashed or hung.
timeout_ms=5000

# Runs one target; sets execs, execs_per_sec, crashes (files), hangs (files) and why (empty on a clean run).
fuzz_target() {
  local target=$1 out=$2
  execs=0 execs_per_sec=0 crashes=() hangs=() why=''
  local log="$out.log" status=0
  # -V stops after the given seconds; the outer timeout is only a backstop (SIGINT lets afl-fuzz write its stats).
  timeout --signal=INT --kill-after=30 $((seconds + 120)) \
    env DOTNET_GCHeapHardLimit=$heap_limit afl-fuzz -V "$seconds" -t "$timeout_ms" -m none -i "fuzz/corpus/$target" -o "$out" \
      -- "$(command -v dotnet)" "$bin/Sequencer.Fuzz.dll" "$target" >"$log" 2>&1 || status=$?
  local stats="$out/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    execs=$(sed -n 's/^execs_done *: *//p' "$stats")
    execs_per_sec=$(sed -n 's/^execs_per_sec *: *//p' "$stats")
  fi
  local file
  for file in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
    [ -f "$file" ] || continue
    case "$file" in */crashes/*) crashes+=("$file") ;; *) hangs+=("$file") ;; esac
  done
  if [ $status -ne 0 ]; then
    why="afl-fuzz exited with $status: $(sed 's/\x1b\[[0-9;]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g' "$log" \
      | grep -E 'PROGRAM ABORT|WARNING: Test case' | head -2 | tr -s ' \n' ' ') (log: $log)"
  elif [ ! -f "$stats" ] || [ "${execs:-0}" -eq 0 ]; then
    why="no executions recorded (log: $log)"
  fi
}

# Copies an input to fuzz/regressions/<target>/, named by its content so a rediscovered input is stored once.
keep_regression() {
  local target=$1 kind=$2 file=$3 name
  name="$kind-$(sha256sum "$file" | cut -c1-16)"
  mkdir -p "fuzz/regressions/$target"
  cp "$file" "fuzz/regressions/$target/$name"
  echo "fuzz/regressions/$target/$name"
}

build
if [ $list -eq 1 ]; then
  echo "$all_targets"
  exit 0
fi
if ! command -v afl-fuzz >/dev/null; then
  echo "run.sh: afl-fuzz not found; install AFL++ (Debian: apt-get install -y afl++, or ./build.sh test as root)" >&2
  if [ $smoke -eq 1 ]; then
    echo "fuzz-smoke: FAIL all afl-fuzz is not installed"
  fi
  exit 1
fi

if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets <<<"$all_targets"
fi
# Smoke runs share a budget of about 90 s of fuzzing (plus ~1.5 s of start-up per target) so ./build.sh test stays
# within its CI time as targets are added: 5 s each for 18 targets, never under 3 s or over 10 s.
smoke_budget=90
if [ $smoke -eq 1 ] && [ -z "$seconds" ]; then
  seconds=$((smoke_budget / ${#targets[@]}))
  seconds=$((seconds < 3 ? 3 : seconds > 10 ? 10 : seconds))
fi
for target in "${targets[@]}"; do
  grep -qx -- "$target" <<<"$all_targets" || { echo "run.sh: no target named $target (--list shows them)" >&2; exit 2; }
  [ -d "fuzz/corpus/$target" ] || { echo "run.sh: target $target has no seed corpus fuzz/corpus/$target/" >&2; exit 2; }
done

failures=0
for target in "${targets[@]}"; do
  if [ $smoke -eq 1 ]; then
    # Smoke runs start from the seeds every time, apart from real campaigns' findings.
    out="fuzz/findings/smoke/$target"
    rm -rf "$out" "$out.log"
    mkdir -p "$(dirname "$out")"
    fuzz_target "$target" "$out"
    kept=()
    for file in "${crashes[@]}"; do kept+=("$(keep_regression "$target" crash "$file")"); done
    for file in "${hangs[@]}"; do kept+=("$(keep_regression "$target" hang "$file")"); done
    if [ ${#kept[@]} -gt 0 ]; then
      why_afl=$why
      why="${#crashes[@]} crash(es), ${#hangs[@]} hang(s) in ${seconds}s; inputs kept in fuzz/regressions/$target/:"
      why+=" ${kept[*]##*/}${why_afl:+; $why_afl}"
    fi
    if [ -n "$why" ]; then
      echo "fuzz-smoke: FAIL $target $why"
      failures=$((failures + 1))
    else
      echo "fuzz-smoke: PASS $target execs=$execs execs/s=$execs_per_sec"
    fi
  else
    out="fuzz/findings/$target"
    mkdir -p fuzz/findings
    fuzz_target "$target" "$out"
    echo "fuzz: $target execs=$execs execs/s=$execs_per_sec crashes=${#crashes[@]} hangs=${#hangs[@]} findings=$out/default${why:+ ($why)}"
    [ -z "$why" ] && [ ${#crashes[@]} -eq 0 ] && [ ${#hangs[@]} -eq 0 ] || failures=$((failures + 1))
  fi
done
[ $failures -eq 0 ]
