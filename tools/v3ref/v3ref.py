#!/usr/bin/env python3
"""Independent reference implementation of data contract §11 (version 3), for differential tests.

Written from the text of the contract (../shared/spec/data-format.md §11), not from rankpress's
Rust code. Python 3 standard library only; every quantity is exact (fractions.Fraction /
decimal.Decimal), except the performance values that §5 defines in doubles.

What it reuses: the §10 rules that version 3 leaves unchanged come from ../v2ref/v2ref.py by
import (the YAML subset reader, exact rounding, level assignment over a set of managers,
escalation, annual/quarterly rows, promotion/demotion, one pool shared by largest remainders,
the JSON differ). What it takes from rankpress: each month's rows (id, total, veto) from
`OUT/data/rankings/YYYY-MM.json` (§5 totals, which the version 1 fixtures verify). Everything
§11 touches is computed here: paths, unit rows and ranks, unit_ranks, the teams' unit and
unit_rank, assessment units, rating levels / awards / watch lists within them (awards from
performance values read from `content/results/` and `content/trainings/`), escalation from the
union watch list, annual and quarterly rows, excellence per assessment unit, and the payroll
with unit pools.

Usage:
    v3ref.py compare SITE OUT [PAYROLL_DIR]          exit 1 and print the differences, 0 when equal
    v3ref.py compare-v2 SITE OUT [PAYROLL_DIR]       the same, but a §11 key absent from rankpress's
                                                     files is not a difference (a version 2 export)
    v3ref.py expected SITE OUT                       print what the reference computes (JSON)
    v3ref.py validate SITE                           print the §11 / roster rules SITE breaks
"""

import csv
import glob
import json
import os
import re
import sys
import types
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "v2ref"))
import v2ref  # noqa: E402
from v2ref import cents, frac, load, money, rank_of, show, yaml_load  # noqa: E402

# The keys version 3 adds to the exports (checked only where rankpress writes them in
# `compare-v2` mode, so that a version 2 worked example can be replayed).
V3_KEYS = {"path", "unit_ranks", "units", "unit", "unit_rank", "pools"}


def read_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml_load(f.read()) or {}


def intval(v, default):
    return default if v is None else int(v)


# --------------------------------------------------------------------------------------------
# Settings and the unit tree
# --------------------------------------------------------------------------------------------


class Site(v2ref.Site):
    """v2ref's settings plus what §5 awards / annual and §11 need."""

    def __init__(self, root):
        super().__init__(root)
        self.root = root
        content = os.path.join(root, "content")
        site = read_yaml(os.path.join(content, "site.yaml"))
        roster = read_yaml(os.path.join(content, "managers.yaml"))
        self.indicators = {i["id"]: i for i in site.get("indicators") or []}
        self.awards = [
            {
                "id": a["id"],
                "name": a["name"],
                "indicator": a["indicator"],
                "top": intval(a.get("top"), 1),
                "min": None if a.get("min") is None else float(a["min"]),
            }
            for a in site.get("awards") or []
        ]
        annual = site.get("annual") or {}
        self.excellence_top = intval(annual.get("excellence_top"), 3)
        self.min_months = intval(annual.get("min_months"), 1)
        self.scope = intval(site.get("scope"), 0)
        pay = site.get("pay") or {}
        self.pools = pay.get("pools")  # unit id -> amount text, or None
        # Units in the order of managers.yaml; parent of each; a team's unit.
        self.units = [u["id"] for u in roster.get("units") or []]
        self.unit_name = {u["id"]: u["name"] for u in roster.get("units") or []}
        self.parent = {u["id"]: u.get("parent") for u in roster.get("units") or []}
        self.team_unit = {t["id"]: t.get("unit") for t in roster.get("teams") or []}
        self.teams = [t["id"] for t in roster.get("teams") or []]

    def unit_path(self, unit):
        """The units from the root down to `unit`."""
        out = []
        while unit is not None:
            out.append(unit)
            unit = self.parent[unit]
        return out[::-1]

    def path(self, mid):
        """A manager's path: root first; [] without units."""
        if not self.units:
            return []
        return self.unit_path(self.team_unit[self.managers[mid]["team"]])

    def assessment_unit(self, mid):
        """The unit at depth `scope` of the path (or its last unit when shorter); None for 0."""
        if self.scope == 0:
            return None
        p = self.path(mid)
        return p[self.scope] if len(p) > self.scope else p[-1]


def validate(site_root):
    """The §11 rules (and the roster rules of §4) that a site breaks, as sentences; [] when
    valid. Read from the raw YAML, so that a broken tree cannot hang the reference."""
    content = os.path.join(site_root, "content")
    site = read_yaml(os.path.join(content, "site.yaml"))
    roster = read_yaml(os.path.join(content, "managers.yaml"))
    out = []
    idre = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
    units = roster.get("units")
    teams = roster.get("teams") or []
    team_ids = [t["id"] for t in teams]
    pay = site.get("pay") or {}
    scope = intval(site.get("scope"), 0)
    for key in site:
        if key not in SITE_KEYS:
            out.append("site.yaml: unknown key %s" % key)
    if units is None:
        out += ["team %s: unit without units" % t["id"] for t in teams if t.get("unit") is not None]
        if scope > 0:
            out.append("scope %d without units" % scope)
        if pay.get("pools") is not None:
            out.append("pay.pools without units")
    else:
        ids = [u["id"] for u in units]
        parent = {u["id"]: u.get("parent") for u in units}
        out += ["unit id %r is not an id" % u for u in ids if not idre.match(u)]
        if len(set(ids)) != len(ids):
            out.append("duplicate unit ids")
        out += ["unit %s is also a team id" % u for u in ids if u in team_ids]
        roots = [u for u in ids if parent[u] is None]
        if len(roots) != 1:
            out.append("%d units without parent" % len(roots))
        out += ["unit %s: parent %s is no unit" % (u, p) for u, p in parent.items() if p is not None and p not in parent]
        depth, before = {}, len(out)
        for u in ids:
            seen, w = [], u
            while w is not None and w in parent and w not in seen:
                seen.append(w)
                w = parent[w]
            if w is not None:
                out.append("unit %s: its parents form a cycle or break off" % u)
            else:
                depth[u] = len(seen) - 1
        out += ["team %s: unit %r is no unit" % (t["id"], t.get("unit")) for t in teams if t.get("unit") not in parent]
        sound = len(out) == before  # every chain of parents ends at the root
        if scope > 0 and scope not in depth.values():
            out.append("scope %d: no unit at that depth" % scope)
        pools = pay.get("pools")
        if pools is not None:
            out += ["pay.pools: %s is no unit" % u for u in pools if u not in parent]
            if sound and all(u in parent for u in pools):
                for t in teams:
                    chain, w = [], t["unit"]
                    while w is not None:
                        chain.append(w)
                        w = parent[w]
                    n = sum(1 for w in chain if w in pools)
                    if n != 1:
                        out.append("team %s: its chain holds %d pools" % (t["id"], n))
    if pay:
        has_pool, has_pools = pay.get("pool") is not None, pay.get("pools") is not None
        if pay.get("method") == "pool" and has_pool == has_pools:
            out.append("pay: give pool or pools, not both, not neither")
        if pay.get("method") == "rating" and has_pools:
            out.append("pay: pools with method rating")
    managers = {m["id"]: m for m in roster.get("managers") or []}
    out += ["manager %s: team %s is no team" % (i, m["team"]) for i, m in managers.items() if m["team"] not in team_ids]
    for p in sorted(glob.glob(os.path.join(content, "results", "*.yaml"))):
        month = os.path.basename(p)[:-5]
        data = read_yaml(p)
        if data.get("month") != month:
            out.append("%s: month %s" % (p, data.get("month")))
        for i in data.get("results") or {}:
            if i not in managers:
                out.append("%s: %s is not in the roster" % (month, i))
            elif managers[i].get("left") is not None and str(managers[i]["left"]) < month + "-01":
                out.append("%s: %s has left before the month" % (month, i))
    for p in sorted(glob.glob(os.path.join(content, "trainings", "**", "*.yaml"), recursive=True)):
        out += ["%s: attendee %s is not in the roster" % (p, i) for i in read_yaml(p).get("attendees") or {} if i not in managers]
    return out


# Keys of site.yaml in contract versions 1 to 3 (§2, §10, §11).
SITE_KEYS = {
    "title", "organization", "language", "theme", "base_url", "indicators", "awards", "watch",
    "training", "suggestions", "annual", "ratings", "pay", "grades", "scope", "bulletin",
}


# --------------------------------------------------------------------------------------------
# Performance values (§5): what awards rank by
# --------------------------------------------------------------------------------------------


def month_of_date(d):
    return str(d)[:7]


def training_marks(site):
    """month -> manager -> list of training marks (§5 `m`), sessions in path order."""
    marks = {}
    files = sorted(glob.glob(os.path.join(site.root, "content", "trainings", "**", "*.yaml"), recursive=True))
    for p in files:
        s = read_yaml(p)
        month = month_of_date(s["date"])
        for mid, a in (s.get("attendees") or {}).items():
            present = a.get("present") == "true"
            if present and a.get("score") is not None:
                mark = float(a["score"])
            elif not present and a.get("excused") != "true":
                mark = 0.0
            else:
                continue
            marks.setdefault(month, {}).setdefault(mid, []).append(mark)
    return marks


def performance(site, month, marks, total):
    """manager -> indicator id (and "total") -> the performance value p as a double, or None."""
    results = read_yaml(os.path.join(site.root, "content", "results", month + ".yaml")).get("results") or {}
    out = {}
    for mid, entry in results.items():
        p = {"total": float(total[mid])}
        for iid, ind in site.indicators.items():
            method = ind["method"]
            if method == "ratio":
                v = entry[iid]
                p[iid] = float(v["actual"]) / float(v["target"])
            elif method == "training":
                ms = marks.get(month, {}).get(mid)
                p[iid] = None if not ms else sum(ms) / len(ms)
            else:
                p[iid] = float(entry[iid])
        out[mid] = p
    return out


# --------------------------------------------------------------------------------------------
# §11 computations
# --------------------------------------------------------------------------------------------


def view(m, ids):
    """The part of month m that holds only the managers `ids` (org-wide ranks kept: within a
    subset they order the managers exactly as ranks within the subset would)."""
    ids = set(ids)
    return types.SimpleNamespace(
        month=m.month,
        total={i: t for i, t in m.total.items() if i in ids},
        veto={i: v for i, v in m.veto.items() if i in ids},
        rank={i: r for i, r in m.rank.items() if i in ids},
    )


def groups(site, m):
    """Assessment unit -> its assessed managers of month m: units in managers.yaml order, only
    those with assessed managers; {None: all} with scope 0."""
    if site.scope == 0:
        return {None: sorted(m.total)}
    by = {}
    for i in sorted(m.total):
        by.setdefault(site.assessment_unit(i), []).append(i)
    return {u: by[u] for u in site.units if u in by}


def award_entries(site, m, perf, grp):
    out = []
    for aw in site.awards:
        for unit, ids in grp.items():
            vals = {}
            for i in ids:
                v = perf[i][aw["indicator"]]
                if m.veto[i] or v is None or (aw["min"] is not None and v < aw["min"]):
                    continue
                vals[i] = v
            ranked = sorted(vals.values(), reverse=True)
            if len(ranked) > aw["top"]:
                kth = ranked[aw["top"] - 1]
                vals = {i: v for i, v in vals.items() if v >= kth}
            winners = sorted(vals, key=lambda i: (-vals[i], i))
            out.append({"id": aw["id"], "name": aw["name"], "managers": winners, "unit": unit})
    return out


def watch_list(site, m, grp):
    out = []
    n = site.bottom
    if n > 0:
        for ids in grp.values():
            totals = sorted(m.total[i] for i in ids)
            kth = totals[min(n, len(totals)) - 1]
            out += [i for i in ids if m.total[i] <= kth]
    return sorted(out, key=lambda i: (m.total[i], i))


def unit_rows(site, m):
    """The month's `units` and every manager's `unit_ranks`."""
    members = {u: [] for u in site.units}
    for i in m.total:
        for u in site.path(i):
            members[u].append(i)
    avg = {u: cents(sum(m.total[i] for i in ids) / len(ids)) for u, ids in members.items() if ids}
    rows = []
    for u in site.units:
        if u not in avg:
            continue
        sib = [w for w in avg if site.parent[w] == site.parent[u]]
        rows.append(
            {
                "unit": u,
                "parent": site.parent[u],
                "managers": len(members[u]),
                "average": money(avg[u]),
                "rank": 1 + sum(1 for w in sib if avg[w] > avg[u]),
            }
        )
    unit_ranks = {
        i: {u: 1 + sum(1 for j in members[u] if m.total[j] > m.total[i]) for u in site.path(i)} for i in m.total
    }
    return rows, unit_ranks


def team_rows(site, m):
    members = {}
    for i in m.total:
        members.setdefault(site.managers[i]["team"], []).append(i)
    avg = {t: cents(sum(m.total[i] for i in ids) / len(ids)) for t, ids in members.items()}
    rank = rank_of(avg)
    rows = []
    for t in sorted(avg, key=lambda t: (rank[t], t)):
        unit = site.team_unit.get(t) if site.units else None
        same = [w for w in avg if site.team_unit.get(w) == unit]
        rows.append(
            {
                "rank": rank[t],
                "team": t,
                "managers": len(members[t]),
                "average": money(avg[t]),
                "unit": unit,
                "unit_rank": None if unit is None else 1 + sum(1 for w in same if avg[w] > avg[t]),
            }
        )
    return rows


def excellence(site, rows):
    """The year's excellence: chosen within each assessment unit (§11), as §5 says."""
    if site.excellence_top == 0:
        return []
    by = {}
    for r in rows:  # rows in annual rank order, then id
        if r["months"] >= site.min_months and r["vetoes"] == 0:
            by.setdefault(site.assessment_unit(r["id"]), []).append(r)
    out = []
    for cands in by.values():
        if len(cands) > site.excellence_top:
            kth = cands[site.excellence_top - 1]["average"]
            cands = [r for r in cands if r["average"] >= kth]
        out += cands
    out.sort(key=lambda r: (-r["average"], r["id"]))
    return [r["id"] for r in out]


def payroll(site, m, levels):
    """The payroll JSON of month m (None without `pay`), with §11's `pools` and row `unit`."""
    if site.pay is None:
        return None
    if site.pools is None:
        res = v2ref.payroll(site, m, levels)
        res["pools"] = []
        for r in res["rows"]:
            r["unit"] = None
        return res
    rows, pools, total = [], [], 0
    for u in site.units:
        if u not in site.pools:
            continue
        one = types.SimpleNamespace(pay={"method": "pool", "pool": site.pools[u]}, levels=site.levels, managers=site.managers)
        part = v2ref.payroll(one, view(m, [i for i in m.total if u in site.path(i)]), levels)
        for r in part["rows"]:
            r["unit"] = u
        rows += part["rows"]
        total += cents(frac(site.pools[u]))
        pools.append({"unit": u, "pool": part["pool"], "paid": part["paid"]})
    rows.sort(key=lambda r: (r["rank"], r["id"]))
    return {
        "month": m.month,
        "method": "pool",
        "base": None,
        "pool": money(total),
        "paid": money(sum(cents(frac(r["pay"])) for r in rows)),
        "pools": pools,
        "rows": rows,
    }


def compute(site_root, out):
    """Everything §10 and §11 decide, keyed like rankpress's files."""
    site = Site(site_root)
    rdir = os.path.join(out, "data", "rankings")
    names = sorted(f for f in os.listdir(rdir) if f.endswith(".json")) if os.path.isdir(rdir) else []
    marks = training_marks(site)
    months, levels, res = [], {}, {"rankings": {}, "annual": {}, "quarterly": {}, "payroll": {}}
    for f in names:
        m = v2ref.Month(load(os.path.join(rdir, f)))
        perf = performance(site, m.month, marks, m.total)
        grp = groups(site, m)
        levels[m.month] = {}
        for ids in grp.values():
            levels[m.month].update(v2ref.assign_levels(site, view(m, ids)))
        awards = award_entries(site, m, perf, grp)
        # What v2ref's escalation and summaries read: the union watch list, wins per award.
        m.watch = watch_list(site, m, grp)
        m.awards = {}
        for a in awards:
            m.awards.setdefault(a["id"], []).extend(a["managers"])
        months.append(m)
        units, unit_ranks = unit_rows(site, m)
        res["rankings"][m.month] = {
            "rows": {
                i: {"rank": m.rank[i], "rating": levels[m.month][i], "path": site.path(i), "unit_ranks": unit_ranks[i]}
                for i in m.total
            },
            "awards": awards,
            "watch": m.watch,
            "teams": team_rows(site, m),
            "units": units,
        }
    for idx, m in enumerate(months):
        res["rankings"][m.month]["escalated"] = v2ref.escalated(site, months, idx)
        res["payroll"][m.month] = payroll(site, m, levels[m.month])
    for year in sorted({m.month[:4] for m in months}):
        ms = [m for m in months if m.month[:4] == year]
        rows = v2ref.summarize(site, ms, levels)
        promo, demo = v2ref.promotion_demotion(site, rows)
        res["annual"][year] = {
            "year": int(year),
            "months": [m.month for m in ms],
            "rows": rows,
            "excellence": excellence(site, rows),
            "promotion": promo,
            "demotion": demo,
        }
    for qk in sorted({v2ref.quarter_of(m.month) for m in months}):
        ms = [m for m in months if v2ref.quarter_of(m.month) == qk]
        res["quarterly"][qk] = {"quarter": qk, "months": [m.month for m in ms], "rows": v2ref.summarize(site, ms, levels)}
    return site, res


# --------------------------------------------------------------------------------------------
# Comparison with rankpress's files
# --------------------------------------------------------------------------------------------


def prune(want, got):
    """`want` without the §11 keys that `got` lacks at the same place (compare-v2 mode)."""
    if isinstance(want, dict) and isinstance(got, dict):
        return {k: prune(v, got[k]) if k in got else v for k, v in want.items() if k in got or k not in V3_KEYS}
    if isinstance(want, list) and isinstance(got, list):
        return [prune(w, g) for w, g in zip(want, got)] + want[len(got) :]
    return want


def check(label, want, got, d, lenient):
    v2ref.diff(label, prune(want, got) if lenient else want, got, d)


def compare(site_root, out, payroll_dir=None, lenient=False):
    """The differences between rankpress's exports (and payroll files) and the reference."""
    site, res = compute(site_root, out)
    d = []
    results = sorted(os.path.basename(p)[:-5] for p in glob.glob(os.path.join(site_root, "content", "results", "*.yaml")))
    if results != sorted(res["rankings"]):
        d.append("rankings/: want a file per results month %s, got %s" % (results, sorted(res["rankings"])))
    for month, want in res["rankings"].items():
        got = load(os.path.join(out, "data", "rankings", month + ".json"))
        rows = {r["id"]: {k: r.get(k, "<absent>") for k in want["rows"].get(r["id"], {})} for r in got["rows"]}
        if lenient:
            rows = {i: {k: v for k, v in r.items() if v != "<absent>" or k not in V3_KEYS} for i, r in rows.items()}
        check("rankings/%s.json rows" % month, {i: r for i, r in want["rows"].items()}, rows, d, lenient)
        for key in ("awards", "watch", "teams", "escalated", "units"):
            if key in got or not (lenient and key in V3_KEYS):
                check("rankings/%s.json %s" % (month, key), want[key], got.get(key, "<absent>"), d, lenient)
        csv_path = os.path.join(out, "data", "rankings", month + ".csv")
        if os.path.exists(csv_path):
            with open(csv_path, encoding="utf-8-sig", newline="") as f:
                table = list(csv.reader(f))
            head = table[0]
            col = {h: k for k, h in enumerate(head)}
            names = {lv["id"]: lv["name"] for lv in site.levels or []}
            want_csv, got_csv = {}, {}
            for r in table[1:]:
                i = r[col["id"]]
                lv = want["rows"].get(i, {}).get("rating")
                want_csv[i] = {"rating": names.get(lv, "") if lv else ""}
                got_csv[i] = {"rating": r[col["rating"]] if "rating" in col else "<no column>"}
                if not (lenient and "unit" not in col):
                    unit = site.team_unit.get(site.managers[i]["team"]) if site.units else None
                    want_csv[i]["unit"] = site.unit_name[unit] if unit else ""
                    got_csv[i]["unit"] = r[col["unit"]] if "unit" in col else "<no column>"
            if not (lenient and "unit" not in col) and head[-1] != "unit":
                d.append("rankings/%s.csv: last column is %r, want unit" % (month, head[-1]))
            v2ref.diff("rankings/%s.csv" % month, want_csv, got_csv, d)
    for year, want in res["annual"].items():
        p = os.path.join(out, "data", "annual", year + ".json")
        if not os.path.exists(p):
            d.append("annual/%s.json: missing" % year)
            continue
        got = load(p)
        for key in ("rows", "excellence", "promotion", "demotion"):
            check("annual/%s.json %s" % (year, key), want[key], got.get(key, "<absent>"), d, lenient)
    qdir = os.path.join(out, "data", "quarterly")
    have = sorted(f[:-5] for f in os.listdir(qdir) if f.endswith(".json")) if os.path.isdir(qdir) else []
    if have != sorted(res["quarterly"]):
        d.append("quarterly/: want files %s, got %s" % (sorted(res["quarterly"]), have))
    for qk, want in res["quarterly"].items():
        p = os.path.join(qdir, qk + ".json")
        if os.path.exists(p):
            check("quarterly/%s.json" % qk, want, load(p), d, lenient)
    if payroll_dir is not None:
        for month, want in res["payroll"].items():
            p = os.path.join(payroll_dir, month + ".json")
            if want is None:
                if os.path.exists(p):
                    d.append("payroll/%s.json: written without pay" % month)
                continue
            if not os.path.exists(p):
                d.append("payroll/%s.json: missing" % month)
                continue
            check("payroll/%s.json" % month, want, load(p), d, lenient)
    return d


def main(argv):
    if len(argv) >= 3 and argv[0] in ("compare", "compare-v2"):
        d = compare(argv[1], argv[2], argv[3] if len(argv) > 3 else None, lenient=argv[0] == "compare-v2")
        for line in d:
            print(line)
        return 1 if d else 0
    if len(argv) == 2 and argv[0] == "validate":
        problems = validate(argv[1])
        for line in problems:
            print(line)
        return 1 if problems else 0
    if len(argv) == 3 and argv[0] == "expected":
        print(json.dumps(compute(argv[1], argv[2])[1], ensure_ascii=False, indent=1, default=str))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
