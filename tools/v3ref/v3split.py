#!/usr/bin/env python3
"""A check of the reference's assessment units that needs no version 3 rankpress.

    v3split.py BIN WORKDIR FIRST_SEED COUNT

§11 decides rating levels, awards, watch lists, escalation and annual excellence within each
assessment unit "exactly as the section named says for the whole site". So for each seed of
v3gen.py with `scope` above 0, and each assessment unit U, a version 2 site holding only U's
assessed managers (no units, scope or pools; their teams, results and training entries kept)
must get from today's rankpress exactly what the reference decides for U in the whole site:
each manager's level, U's award entries, U's part of the watch list and of the escalated list,
the annual and quarterly counts (months, average, watch, vetoes, awards, ratings), excellence,
promotion and demotion restricted to U, and pay (by rating; by pool when U's managers are
exactly one pool unit's members). The whole site's totals come from rankpress building it with
the §11 keys removed (totals do not depend on them).

Prints the differences per seed and "N of M sites differ"; exits 1 when any differ.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import v3gen  # noqa: E402
import v3ref  # noqa: E402
from v2gen import write  # noqa: E402
from v2ref import diff, load  # noqa: E402


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def blocks(lines, indent):
    """Splits lines into [head, (key, block lines)...] at keys with exactly `indent` spaces."""
    head, out, key = [], [], None
    pat = re.compile(r"^ {%d}([^ :][^:]*):" % indent)
    for line in lines:
        m = pat.match(line)
        if m:
            key = m.group(1)
            out.append((key, [line]))
        elif key is None:
            head.append(line)
        else:
            out[-1][1].append(line)
    return head, out


def v2_site(src, dst, keep, pool):
    """Writes to dst a version 2 copy of the v3gen site src holding only the managers `keep`
    (all of them when None): no units, scope or pools; `pay` becomes `pool: POOL` when `pool`
    is given, stays when it is by rating or one pool, and is dropped otherwise."""
    shutil.rmtree(dst, ignore_errors=True)
    content = os.path.join(src, "content")
    site = read(os.path.join(content, "site.yaml")).splitlines()
    out, skip = [], False
    for line in site:
        if line.startswith("scope:"):
            continue
        if line == "pay:":
            skip = True
            pay = []
            continue
        if skip:
            if line.startswith(" "):
                pay.append(line)
                continue
            skip = False
            out += pay_lines(pay, pool)
        out.append(line)
    if skip:
        out += pay_lines(pay, pool)
    write(os.path.join(dst, "content", "site.yaml"), "\n".join(out) + "\n")

    roster = read(os.path.join(content, "managers.yaml")).splitlines()
    teams_at = roster.index("teams:")
    people_at = roster.index("managers:")
    _, people = blocks(roster[people_at + 1 :], 2)
    kept = [b for b in people if keep is None or b[1][0].split("id: ")[1] in keep]
    teams = {line for _, b in kept for line in b if line.startswith("    team: ")}
    tlines = [re.sub(r", unit: [^,}]+", "", t) for t in roster[teams_at + 1 : people_at]]
    tlines = [t for t in tlines if "    team: %s" % re.search(r"id: ([^,]+),", t).group(1) in teams] or tlines[:1]
    text = ["teams:"] + tlines + ["managers:"] + [line for _, b in kept for line in b]
    write(os.path.join(dst, "content", "managers.yaml"), "\n".join(text) + "\n")

    for p in sorted(glob.glob(os.path.join(content, "results", "*.yaml"))):
        _, entries = blocks(read(p).splitlines()[2:], 2)
        lines = read(p).splitlines()[:2]
        entries = [b for k, b in entries if keep is None or k in keep]
        if not entries:
            lines[1] = "results: {}"
        write(os.path.join(dst, "content", "results", os.path.basename(p)), "\n".join(lines + [x for b in entries for x in b]) + "\n")
    for p in sorted(glob.glob(os.path.join(content, "trainings", "*.yaml"))):
        lines = read(p).splitlines()
        at = lines.index("attendees:")
        att = [a for a in lines[at + 1 :] if keep is None or a.split(":")[0].strip() in keep]
        if att:
            write(os.path.join(dst, "content", "trainings", os.path.basename(p)), "\n".join(lines[: at + 1] + att) + "\n")


def pay_lines(pay, pool):
    if pool is not None:
        return ["pay:", "  method: pool", "  pool: %s" % pool]
    if any(line.strip().startswith("pools") for line in pay):
        return []
    return ["pay:"] + pay


def build(binary, root):
    out = os.path.join(root, "out")
    b = subprocess.run([binary, "build", "-r", root, "-o", out], capture_output=True, text=True)
    if b.returncode != 0:
        return None, "build of %s failed (exit %d): %s%s" % (root, b.returncode, b.stdout, b.stderr)
    subprocess.run([binary, "payroll", "--month", "all", "-r", root, "-o", os.path.join(root, "payroll")], capture_output=True)
    return out, None


def annual_counts(rows, ids):
    keys = ("id", "months", "average", "watch", "vetoes", "awards", "ratings")
    return [{k: r[k] for k in keys} for r in rows if r["id"] in ids]


def run_seed(binary, work, seed):
    root = os.path.join(work, "site-%d" % seed)
    shutil.rmtree(root, ignore_errors=True)
    shape = v3gen.gen(seed, os.path.join(root, "v3"))
    if shape["scope"] == 0:
        return None
    v3 = os.path.join(root, "v3")
    v2_site(v3, os.path.join(root, "whole"), None, None)
    whole, err = build(binary, os.path.join(root, "whole"))
    if err:
        return [err]
    site, res = v3ref.compute(v3, whole)
    all_ids = {i for m in res["rankings"].values() for i in m["rows"]}
    units = {}
    for i in sorted(all_ids):
        units.setdefault(site.assessment_unit(i), set()).add(i)
    d = []
    for u, ids in sorted(units.items()):
        members = {i for i in all_ids if u in site.path(i)}
        pool = None
        if site.pools is not None and u in site.pools and members == ids:
            pool = site.pools[u]
        sub = os.path.join(root, "unit-" + u)
        v2_site(v3, sub, ids, pool)
        out, err = build(binary, sub)
        if err:
            d.append(err)
            continue
        where = "unit %s: " % u
        for month, want in res["rankings"].items():
            p = os.path.join(out, "data", "rankings", month + ".json")
            got = load(p)
            diff(where + month + " rating", {i: r["rating"] for i, r in want["rows"].items() if i in ids}, {r["id"]: r["rating"] for r in got["rows"]}, d)
            wa = [{"id": a["id"], "managers": a["managers"]} for a in want["awards"] if a["unit"] == u]
            ga = [{"id": a["id"], "managers": a["managers"]} for a in got["awards"]]
            if wa or any(a["managers"] for a in ga):
                diff(where + month + " awards", wa, ga, d)
            diff(where + month + " watch", [i for i in want["watch"] if i in ids], got["watch"], d)
            diff(where + month + " escalated", [e for e in want["escalated"] if e["id"] in ids], got["escalated"], d)
            pay = res["payroll"][month]
            gp = os.path.join(sub, "payroll", month + ".json")
            if pay is not None and (pool is not None or pay["method"] == "rating") and os.path.exists(gp):
                diff(where + month + " pay", {r["id"]: r["pay"] for r in pay["rows"] if r["id"] in ids}, {r["id"]: r["pay"] for r in load(gp)["rows"]}, d)
        for year, want in res["annual"].items():
            got = load(os.path.join(out, "data", "annual", year + ".json"))
            diff(where + year + " rows", annual_counts(want["rows"], ids), annual_counts(got["rows"], ids), d)
            for key in ("excellence", "promotion", "demotion"):
                w = [x for x in want[key] if (x if key == "excellence" else x["id"]) in ids]
                diff(where + year + " " + key, w, got[key], d)
        for qk, want in res["quarterly"].items():
            p = os.path.join(out, "data", "quarterly", qk + ".json")
            diff(where + qk + " rows", annual_counts(want["rows"], ids), annual_counts(load(p)["rows"], ids) if os.path.exists(p) else [], d)
    return d


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, work, first, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    bad = n = 0
    for seed in range(first, first + count):
        diffs = run_seed(binary, work, seed)
        if diffs is None:
            continue
        n += 1
        if diffs:
            bad += 1
            print("seed %d (site %s):" % (seed, os.path.join(work, "site-%d" % seed)))
            for line in diffs[:30]:
                print("  " + line)
    print("%d of %d sites differ" % (bad, n))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
