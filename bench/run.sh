#!/usr/bin/env bash
# Benchmark rankpress `check`, `build` and an incremental rebuild on generated workloads.
#
#   bench/run.sh [WORKLOAD...]      WORKLOAD: demo city province large, or NxM (e.g. 1000x6)
#
# Environment:
#   RANKPRESS=/path/to/bin   binary to measure (default: `cargo build --release`, then
#                            target/release/rankpress)
#   GENSITE=/path/to/bin     prebuilt generator (default: examples/gensite.rs compiled with rustc)
#   RUNS=N                   timed runs per command (default 3); the median wall time is shown
#   KEEP=1                   keep the temporary folder (its path is printed)
#
# Prints a Markdown table: median wall time, peak RSS, pages (.html files), output bytes, and
# microseconds per manager-month (wall time / results entries), so linearity is easy to see.
# See bench/README.md.
set -euo pipefail
export LC_ALL=C # '.' as the decimal point everywhere, EPOCHREALTIME included

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
RUNS=${RUNS:-3}
KEEP=${KEEP:-0}
ALL_WORKLOADS=(demo city province large)

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

die() {
  echo "run.sh: $*" >&2
  exit 1
}

# managers and months of a generated workload name, e.g. "5000 24"
workload_size() {
  case $1 in
    city) echo "500 12" ;;
    province) echo "5000 24" ;;
    large) echo "20000 12" ;;
    [0-9]*x[0-9]*) echo "${1%x*} ${1#*x}" ;;
    *) return 1 ;;
  esac
}

# ------------------------------------------------------------------------------------------
# Arguments and tools.

workloads=()
for arg in "$@"; do
  case $arg in
    -h | --help) usage 0 ;;
    demo) workloads+=("$arg") ;;
    *) workload_size "$arg" >/dev/null || die "unknown workload '$arg' (try --help)"; workloads+=("$arg") ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=("${ALL_WORKLOADS[@]}")
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 (EPOCHREALTIME)"
need_gnu_time || die "/usr/bin/time (GNU time) is needed: apt-get install time"

make_tmp rankpress-bench

need_rankpress || die "no rankpress binary to measure"

if [ -z "${GENSITE:-}" ]; then
  # No dependencies, so plain rustc is enough (same code as `cargo run --example gensite`).
  GENSITE=$tmp/gensite
  rustc --edition 2021 -O -o "$GENSITE" "$ROOT/examples/gensite.rs" || die "cannot compile examples/gensite.rs"
fi

# ------------------------------------------------------------------------------------------
# Measuring.

failed=0
rows=()
# row CELL...: add a row to the results table
row() {
  local line="|" cell
  for cell in "$@"; do line+=" $cell |"; done
  rows+=("$line")
}

# measure WORKLOAD SITE COMMAND: time COMMAND (check, build or rebuild) RUNS times and add a row
measure() {
  local wl=$1 site=$2 cmd=$3 out=$tmp/out walls=() peak=0 i pages=- bytes=- med per
  for ((i = 1; i <= RUNS; i++)); do
    case $cmd in
      check) timed "$RANKPRESS" check --root "$site" || { fail_row "$wl" "$cmd"; return; } ;;
      build)
        fresh_dir "$out"
        timed "$RANKPRESS" build --root "$site" --output "$out" || { fail_row "$wl" "$cmd"; return; } ;;
      rebuild)
        if ((i == 1)); then
          fresh_dir "$out"
          "$RANKPRESS" build --root "$site" --output "$out" >"$tmp/cmd.log" 2>&1 || { fail_row "$wl" "$cmd"; return; }
        fi
        bump_results "$site"
        timed "$RANKPRESS" build --root "$site" --output "$out" || { fail_row "$wl" "$cmd"; return; } ;;
    esac
    walls+=("$wall")
    if ((rss > peak)); then peak=$rss; fi
  done
  if [ "$cmd" != check ]; then
    pages=$(find "$out" -type f -name '*.html' | wc -l)
    bytes=$(du -sb "$out" | cut -f1)
    rm -rf "$out"
  fi
  med=$(median "${walls[@]}")
  per=-
  if ((mm[$wl] > 0)); then
    per=$(awk -v w="$med" -v n="${mm[$wl]}" 'BEGIN { printf "%.2f", w * 1e6 / n }')
  fi
  row "$wl" "$cmd" "$(printf '%.3f' "$med")" "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" \
    "$pages" "$bytes" "$per"
}

fail_row() {
  failed=1
  row "$1" "$2" FAILED - - - -
  rm -rf "$tmp/out"
}

# ------------------------------------------------------------------------------------------
# Workloads.

declare -A mm     # workload -> manager-months
summary=()        # Markdown rows describing the workloads
for wl in "${workloads[@]}"; do
  site=$tmp/site-$wl
  if [ "$wl" = demo ]; then
    # A copy, since the rebuild case edits a results file.
    copy_demo "$site" || { echo "run.sh: skipping demo: $ROOT/content/site.yaml does not exist" >&2; continue; }
    size="repo root" gen=-
  else
    read -r managers months < <(workload_size "$wl")
    echo "generating $wl ($managers managers x $months months)..." >&2
    t0=$EPOCHREALTIME
    "$GENSITE" --managers "$managers" --months "$months" --out "$site" >"$tmp/gen.log"
    gen=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
    size="$managers x $months"
  fi
  mm[$wl]=$(manager_months "$site")
  nfiles=$(find "$site/content" -type f | wc -l)
  input=$(du -sb "$site/content" | cut -f1)
  summary+=("| $wl | $size | ${mm[$wl]} | $nfiles | $(awk -v b="$input" 'BEGIN { printf "%.1f", b / 1e6 }') | $gen |")

  for cmd in check build rebuild; do
    echo "measuring $wl: $cmd x $RUNS..." >&2
    measure "$wl" "$site" "$cmd"
  done
  phase_timings "$wl" "$site"
  rm -rf "$site"
done

# ------------------------------------------------------------------------------------------
# Report.

version=$("$RANKPRESS" --version 2>/dev/null | head -n 1 || true)
echo
echo "## rankpress benchmark"
echo
echo "- binary: \`$RANKPRESS\` ${version:+($version)}"
echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown CPU)"
echo "- runs per command: $RUNS (median wall time; peak RSS is the highest of the runs)"
echo
echo "| workload | size | manager-months | input files | input MB | generation s |"
echo "|---|---|---:|---:|---:|---:|"
[ ${#summary[@]} -eq 0 ] || printf '%s\n' "${summary[@]}"
echo
echo "| workload | command | median wall s | peak RSS MiB | pages | output bytes | µs / manager-month |"
echo "|---|---|---:|---:|---:|---:|---:|"
[ ${#rows[@]} -eq 0 ] || printf '%s\n' "${rows[@]}"
echo
[ ! -f "$tmp/timings.md" ] || cat "$tmp/timings.md"
exit "$failed"
