#!/usr/bin/env bash
# The `serve` row of issue 13: how long from saving one results file to the preview showing it.
#
#   bench/serve.sh SITE            SITE: a site folder (holds content/), e.g. /work/province
#
# SITE is copied to a temporary folder (never written). For each binary, `rankpress serve`
# starts on a free loopback port under GNU time; once its first build is served, EDITS times in
# turn one number of the newest results file changes (the first `actual: N` becomes N+1, then
# back), saved as editors do (a new file renamed over the old one), and the script measures
# until `/__rankpress/version` changes ("version") and until the edited manager's page is
# served with different content, the reload script aside ("page"). Binaries are measured
# interleaved (base, new, base, new…) so that the machine's load hits them alike.
#
# Environment:
#   RANKPRESS=/path/to/bin   binary to measure (default: `cargo build --release`)
#   BASE=/path/to/bin        a second binary measured side by side (e.g. /work/rankpress-base)
#   EDITS=N                  edits per binary and round (default 5); medians are shown
#   ROUNDS=N                 rounds (default 1 without BASE, 2 with it)
#   KEEP=1                   keep the temporary folder (its path is printed)
#
# Prints per binary: the first build (start to served), the median / min / max of "version"
# and "page" over all edits, the CPU time and the peak RSS of the serve process.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"
EDITS=${EDITS:-5}

die() {
  echo "serve.sh: $*" >&2
  exit 1
}

[ $# = 1 ] || { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
SITE=$1
[ -f "$SITE/content/site.yaml" ] || die "$SITE is not a site folder (no content/site.yaml)"
[[ $EDITS =~ ^[1-9][0-9]*$ ]] || die "EDITS must be a positive integer"
need_gnu_time || die "/usr/bin/time (GNU time) is needed: apt-get install time"
command -v python3 >/dev/null || die "python3 is needed"
make_tmp rankpress-serve-bench
need_rankpress || die "no rankpress binary to measure"
bins=("$RANKPRESS")
names=(new)
if [ -n "${BASE:-}" ]; then
  [ -x "$BASE" ] || die "BASE=$BASE is not an executable"
  bins=("$BASE" "$RANKPRESS")
  names=(base new)
fi
ROUNDS=${ROUNDS:-$((${#bins[@]} == 2 ? 2 : 1))}

echo "copying $SITE..." >&2
mkdir -p "$tmp/site"
for d in content templates themes static i18n; do
  if [ -e "$SITE/$d" ]; then cp -R "$SITE/$d" "$tmp/site/"; fi
done
chmod -R u+w "$tmp/site"

# One serve session: start BIN in the copy, wait for its address, time EDITS edits, stop it
# with SIGTERM; the timings go to $tmp/NAME.times ("first S", then "edit VERSION_S PAGE_S").
session() {
  local bin=$1 name=$2
  sync
  python3 - "$bin" "$tmp/site" "$EDITS" "$tmp/$name.time" >>"$tmp/$name.times" <<'PY'
import http.client, os, re, signal, subprocess, sys, time

binary, site, edits, timelog = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
proc = subprocess.Popen(
    ["/usr/bin/time", "-v", "-o", timelog, binary, "serve", "--port", "0"],
    cwd=site, stderr=subprocess.PIPE, text=True)
port = None
for line in proc.stderr:
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if m:
        port = int(m.group(1))
        break
if port is None:
    sys.exit("serve did not start")
print("first %.3f" % (time.perf_counter() - start), flush=True)
# Keep reading stderr so that serve never blocks on a full pipe.
import threading
threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()

def get(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body

def page(path):
    status, body = get(path)
    # The reload script carries the version: compare without it.
    return status, re.sub(rb"<script>/\* rankpress serve: live reload \*/.*?</script>", b"", body, flags=re.S)

results = os.path.join(site, "content", "results")
newest = os.path.join(results, sorted(f for f in os.listdir(results) if f.endswith(".yaml"))[-1])
for i in range(edits):
    text = open(newest, encoding="utf-8").read()
    m = re.search(r"^  ([^ #][^:]*):\n(?:    .*\n)*?    \w+: \{actual: (\d+)", text, re.M)
    if not m:
        sys.exit("no `actual: N` in " + newest)
    manager, n = m.group(1), int(m.group(2))
    url = "/managers/%s/" % manager
    status, before = page(url)
    if status != 200:
        sys.exit("%s: %d" % (url, status))
    _, v0 = get("/__rankpress/version")
    new = n + 1 if i % 2 == 0 else n - 1
    at = m.start(2)
    tmpfile = newest + ".bench-tmp"
    with open(tmpfile, "w", encoding="utf-8") as f:
        f.write(text[:at] + str(new) + text[m.end(2):])
    t0 = time.perf_counter()
    os.rename(tmpfile, newest)
    while get("/__rankpress/version")[1] == v0:
        if time.perf_counter() - t0 > 120:
            sys.exit("no rebuild within 120 s")
        time.sleep(0.005)
    t_version = time.perf_counter() - t0
    while True:
        status, after = page(url)
        if status == 200 and after != before:
            break
        if time.perf_counter() - t0 > 120:
            sys.exit("the page did not change within 120 s")
        time.sleep(0.005)
    t_page = time.perf_counter() - t0
    print("edit %.3f %.3f" % (t_version, t_page), flush=True)
    time.sleep(1.0)  # let the watcher settle before the next edit
# SIGTERM to serve itself (GNU time, its parent, then writes its report).
children = open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)).read().split()
for child in children:
    os.kill(int(child), signal.SIGTERM)
proc.wait(timeout=60)
PY
  awk -F': *' '/Maximum resident set size/ { print "rss", $2 }
               /User time|System time/ { s += $2 } END { printf "cpu %.2f\n", s }' "$tmp/$name.time" >>"$tmp/$name.times"
}

for ((r = 1; r <= ROUNDS; r++)); do
  for i in "${!bins[@]}"; do
    echo "round $r/$ROUNDS: ${names[$i]} (${bins[$i]})..." >&2
    session "${bins[$i]}" "${names[$i]}" || die "${names[$i]}: the session failed"
  done
done

echo
echo "| binary | first build s | edit → version s (median, min–max) | edit → page s (median, min–max) | serve CPU s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for i in "${!bins[@]}"; do
  f=$tmp/${names[$i]}.times
  # shellcheck disable=SC2046
  first=$(median $(awk '$1 == "first" { print $2 }' "$f"))
  mapfile -t v < <(awk '$1 == "edit" { print $2 }' "$f" | sort -g)
  mapfile -t p < <(awk '$1 == "edit" { print $3 }' "$f" | sort -g)
  cpu=$(awk '$1 == "cpu" { print $2 }' "$f" | paste -sd/)
  rss=$(awk '$1 == "rss" { if ($2 > m) m = $2 } END { printf "%.0f", m / 1024 }' "$f")
  printf '| %s | %s | %s (%s–%s) | %s (%s–%s) | %s | %s |\n' "${names[$i]}" "$first" \
    "$(median "${v[@]}")" "${v[0]}" "${v[-1]}" "$(median "${p[@]}")" "${p[0]}" "${p[-1]}" "$cpu" "$rss"
done
echo
echo "(${#v[@]} edits per binary; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
