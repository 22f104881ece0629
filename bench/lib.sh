# Shared helpers of bench/run.sh and bench/peer.sh (sourced, not run). The caller sets `tmp`
# (a scratch folder) before calling `timed`, and `set -euo pipefail` and `LC_ALL=C`.

# need_gnu_time: make sure /usr/bin/time (GNU time, for peak RSS) exists, installing the
# `time` package with apt-get when running as root. Fails when it cannot.
need_gnu_time() {
  [ -x /usr/bin/time ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing GNU time (for peak RSS)..." >&2
    apt-get install -y -qq time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
  fi
  [ -x /usr/bin/time ]
}

wall=0 # set by `timed`: seconds
rss=0  # set by `timed`: peak resident set, KiB
cpu=0  # set by `timed`: user + system CPU seconds (all threads, children included)

# timed CMD...: run CMD under GNU time; set $wall, $rss and $cpu. Fails (showing the command's
# output) when CMD fails.
timed() {
  local t0 t1
  t0=$EPOCHREALTIME
  if ! /usr/bin/time -v -o "$tmp/time.log" "$@" >"$tmp/cmd.log" 2>&1; then
    echo "$(basename "$0"): failed: $*" >&2
    tail -n 20 "$tmp/cmd.log" >&2
    return 1
  fi
  t1=$EPOCHREALTIME
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  rss=$(awk -F': *' '/Maximum resident set size/ { print $2 }' "$tmp/time.log")
  cpu=$(awk -F': *' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$tmp/time.log")
}

# median of the numbers given as arguments
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# fresh_dir PATH: PATH as a new, empty folder, without the files that a build keeps beside
# it (`.NAME.pages`, `.NAME.cache`), so that a "build" is a cold build
fresh_dir() {
  rm -rf "$1" "$(dirname "$1")/.$(basename "$1")".*
  mkdir -p "$1"
}

# bump_results SITE: change one number in the newest results file (the first `actual: N`
# becomes N+1), or, if it has none, append a comment, so that its content changes.
bump_results() {
  local f
  f=$(find "$1/content/results" -name '*.yaml' | sort | tail -n 1)
  [ -n "$f" ] || return 0
  if awk '!done && match($0, /actual: *[0-9]+/) {
            s = substr($0, RSTART, RLENGTH); n = s; sub(/actual: */, "", n)
            $0 = substr($0, 1, RSTART - 1) "actual: " (n + 1) substr($0, RSTART + RLENGTH); done = 1 }
          { print } END { exit !done }' "$f" >"$f.new"; then
    cat "$f.new" >"$f"
  else
    echo "# bench edit $EPOCHREALTIME" >>"$f"
  fi
  rm -f "$f.new"
}

# manager_months SITE: number of results entries (manager × month) in the site
manager_months() {
  local files=("$1"/content/results/*.yaml)
  [ -e "${files[0]}" ] || { echo 0; return; }
  # Entries are the keys one level under the top-level `results:` key.
  awk 'FNR == 1 { inres = 0; ind = "" }
       /^[^ #]/ { inres = ($0 ~ /^results:/); next }
       inres && /^ +[^ #-][^:]*:/ {
         match($0, /^ +/); if (ind == "") ind = RLENGTH
         if (RLENGTH == ind) n++ }
       END { print n + 0 }' "${files[@]}"
}

# make_tmp NAME: a new scratch folder in $tmp, deleted on exit unless KEEP=1
make_tmp() {
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  if [ "${KEEP:-0}" = 1 ]; then
    echo "keeping $tmp" >&2
  else
    trap 'rm -rf "$tmp"' EXIT
  fi
  trap 'exit 130' INT TERM
}

# need_rankpress: set RANKPRESS to target/release/rankpress after `cargo build --release`,
# unless it is set; fails when the build fails or RANKPRESS is not an executable
need_rankpress() {
  if [ -z "${RANKPRESS:-}" ]; then
    echo "building rankpress (cargo build --release)..." >&2
    (cd "$ROOT" && cargo build --release --quiet) || { echo "cargo build --release failed" >&2; return 1; }
    RANKPRESS=$ROOT/target/release/rankpress
  fi
  [ -x "$RANKPRESS" ] || { echo "RANKPRESS=$RANKPRESS is not an executable" >&2; return 1; }
}

# copy_demo SITE: SITE as a copy of the repository's own site (content/, templates/, themes/);
# fails when the repository has no content/site.yaml
copy_demo() {
  [ -f "$ROOT/content/site.yaml" ] || return 1
  mkdir -p "$1"
  local d
  for d in content templates themes; do
    if [ -e "$ROOT/$d" ]; then cp -R "$ROOT/$d" "$1/"; fi
  done
}

# phase_timings WORKLOAD SITE: one untimed `build --timings`, its output appended to
# $tmp/timings.md for the report
phase_timings() {
  fresh_dir "$tmp/out"
  {
    echo "### $1: build --timings"
    echo
    echo '```'
    "$RANKPRESS" build --timings --root "$2" --output "$tmp/out" 2>&1 | tail -n 40 || echo "(build --timings failed)"
    echo '```'
    echo
  } >>"$tmp/timings.md"
  rm -rf "$tmp/out" "$tmp/.out".*
}
