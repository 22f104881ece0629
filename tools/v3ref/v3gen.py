#!/usr/bin/env python3
"""Random small rankpress sites that exercise every corner of contract §11 (and §10 with it).

    v3gen.py SEED DIR                  writes DIR/content/ (deterministic for a seed); prints a
                                       one-line summary of the site's shape
    v3gen.py survey WORK FIRST COUNT   generates seeds FIRST.. into WORK/site-SEED and prints, per
                                       seed, the shape, the contract problems found by
                                       v3ref.validate (none expected) and whether the reference
                                       runs on it (JSON)

Varies: a unit tree 1 to 4 levels deep (units listed in shuffled order, some without teams),
teams hanging from leaves, from inner units and from the root, a few sites without units at all
(the version 2 shape); `scope` at every depth from 0 to the tree's depth; pay by one pool, by
unit pools at every depth (each team's chain holding exactly one pool, sometimes a pool on a
unit without teams), by rating, or none; a training indicator (sessions with scores, absences and excuses) with an
award on it; ties (values drawn from a few), vetoes, managers joining
and leaving within the months, months in which a pool unit has no ranked member; rating levels
with quotas and minimums; awards by total, by a linear and by a ratio indicator; watch lists,
escalation, annual excellence with small `min_months`, promotion and demotion.

Every site is valid per the contract: v3check.py expects `rankpress build` to accept it.
"""

import glob
import json
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "v2ref"))
from v2gen import months_from, rating_lines, write  # noqa: E402  (the version 2 generator's helpers)


def unit_tree(rnd):
    """(units as [id, parent, depth] root first, depth of the tree)."""
    levels = rnd.choice([1, 2, 2, 3, 3, 4, 4])
    units = [["org", None, 0]]
    frontier = ["org"]
    for depth in range(1, levels):
        nxt = []
        for p in frontier:
            for k in range(rnd.choice([1, 2, 2, 3])):
                uid = "%s-%d" % (p if p != "org" else "u", k + 1)
                units.append([uid, p, depth])
                nxt.append(uid)
        frontier = nxt
    return units, levels - 1


def place_pools(rnd, units, team_units, amounts):
    """Unit id -> pool text, such that every team's chain holds exactly one pool."""
    children = {}
    for uid, parent, _ in units:
        children.setdefault(parent, []).append(uid)
    direct = {u: sum(1 for t in team_units if t == u) for u, _, _ in units}

    def has_teams(u):
        return direct[u] > 0 or any(has_teams(c) for c in children.get(u, []))

    pools = {}

    def place(u):
        if not has_teams(u):
            if rnd.random() < 0.1:
                pools[u] = rnd.choice(amounts)  # a pool nobody can draw from
            return
        kids = children.get(u, [])
        if direct[u] > 0 or not kids or rnd.random() < 0.35:
            pools[u] = rnd.choice(amounts)
            return
        for c in kids:
            place(c)

    place("org")
    return pools


def gen(seed, root, units=True):
    """Writes the site; returns a summary of its shape (what the variety test counts).
    `units=False` draws only version 2 shapes (no units, scope or pools)."""
    rnd = random.Random(seed)
    with_units = rnd.random() < 0.9 and units
    units, depth = unit_tree(rnd) if with_units else ([], 0)
    unit_ids = [u[0] for u in units]
    unit_depth = {u[0]: u[2] for u in units}

    # Teams: each hangs from a random unit (leaves favoured, the root and inner units too).
    nteams = rnd.randint(1, 6)
    on_root = depth == 0 or rnd.random() < 0.25
    inner = [u for u in unit_ids if u != "org"]
    teams = []
    for k in range(nteams):
        unit = None
        if units:
            if on_root and k == 0:
                unit = "org"
            elif inner and rnd.random() < 0.3:
                unit = rnd.choice(inner)
            else:
                unit = rnd.choice([u for u, d in unit_depth.items() if d == depth])
        teams.append({"id": "t%d" % (k + 1), "unit": unit})

    ladder = ["g%d" % k for k in range(1, rnd.randint(1, 4) + 1)] if rnd.random() < 0.6 else None
    n = rnd.choice([2, 3, 4, 5, 6, 8, 10, 13, 16, 20, 25])
    start = rnd.choice([(2025, 10), (2025, 11), (2025, 12), (2026, 1), (2024, 12)])
    window = months_from(start[0], start[1], rnd.randint(1, 14))
    chosen = [ym for ym in window if rnd.random() < 0.75] or [window[0]]
    managers = []
    for k in range(n):
        mid = "m%02d" % k
        team = teams[k % nteams] if k < nteams else rnd.choice(teams)
        m = {"id": mid, "team": team["id"], "grade": None, "from": 0, "to": len(chosen) - 1}
        if ladder and rnd.random() < 0.8:
            m["grade"] = rnd.choice(ladder)
        r = rnd.random()
        if r < 0.15 and len(chosen) > 1:
            m["from"] = rnd.randrange(1, len(chosen))  # joins later
        elif r < 0.3 and len(chosen) > 1:
            m["to"] = rnd.randrange(0, len(chosen) - 1)  # leaves early
        managers.append(m)

    # Scope: any depth of the tree (0 without units).
    scope = rnd.randint(0, depth) if units else 0

    # Levels.
    levels = None
    if rnd.random() < 0.85:
        levels = []
        for k in range(rnd.randint(2, 4) - 1):
            lv = {"id": "l%d" % k, "name": "等次%d" % k}
            r = rnd.random()
            if r < 0.75:
                lv["quota"] = rnd.choice(["20", "30", "33.3", "12.5", "100", "50", "0.5", "25", "66.67"])
            if r > 0.5 or r < 0.05:
                lv["min"] = rnd.choice(["90", "75", "60", "0", "95.25", "100"])
            if rnd.random() < 0.8:
                lv["coefficient"] = rnd.choice(["1.2", "1.1", "1.25", "0.85", "1", "0", "1.255", "1.333"])
            levels.append(lv)
        last = {"id": "last", "name": "末等"}
        if rnd.random() < 0.8:
            last["coefficient"] = rnd.choice(["0.6", "0", "0.85", "1"])
        levels.append(last)

    amounts = ["60000", "1000.01", "0", "0.01", "0.05", "99999.99", "7", "123.45", "42000.50"]
    pay = None
    r = rnd.random()
    if units and r < 0.55:
        pay = ("pools", place_pools(rnd, units, [t["unit"] for t in teams], amounts))
    elif r < 0.7:
        pay = ("pool", rnd.choice(amounts))
    elif r < 0.85 and levels:
        pay = ("rating", rnd.choice(["3000", "3333.33", "0", "1000.1", "0.01"]))

    bottom = rnd.choice([None, 0, 1, 2, 3])
    escalate = rnd.choice([None, 0, 1, 2])
    promo = rnd.choice([0, 0, 1, 2]) if levels else 0
    demo = rnd.choice([0, 0, 1, 2]) if levels else 0

    # site.yaml
    s = ["title: 差分测试 %d" % seed, "language: zh-CN", "indicators:"]
    s.append("  - {id: v, name: 分值, method: linear, weight: 100, target: 100, per_unit_below: 1, per_unit_above: 1, min: -100, max: 300}")
    s.append("  - {id: r, name: 完成率, method: ratio, weight: 10, cap: 1.2, floor: 0.5}")
    s.append("  - {id: c, name: 投诉, method: deduct, per_unit: 2.5}")
    # Training marks (§5 `m`) come from their own random stream, so that the rest of a seed's
    # site does not depend on them.
    trn = random.Random(seed * 7919 + 1)
    training = trn.random() < 0.4
    if training:
        s.append("  - {id: tr, name: 培训, method: training, weight: 10}")
    if rnd.random() < 0.8:
        s.append("awards:")
        s.append("  - {id: star, name: 之星, indicator: total, top: %d}" % rnd.randint(1, 3))
        if rnd.random() < 0.6:
            s.append("  - {id: vstar, name: 分值之星, indicator: v, top: 1, min: 90}")
        if rnd.random() < 0.6:
            s.append("  - {id: rstar, name: 完成率之星, indicator: r, top: 2%s}" % rnd.choice(["", ", min: 1.0", ", min: 1.1"]))
        if training:
            s.append("  - {id: tstar, name: 培训之星, indicator: tr, top: %d}" % trn.randint(1, 2))
    watch = []
    if bottom is not None:
        watch.append("  bottom: %d" % bottom)
    if escalate is not None:
        watch.append("  escalate_after: %d" % escalate)
    if watch:
        s.append("watch:")
        s.extend(watch)
    s.append("annual:")
    s.append("  excellence_top: %d" % rnd.choice([0, 1, 2, 3]))
    s.append("  min_months: %d" % rnd.choice([1, 1, 2, 3]))
    if promo:
        s.append("  promotion_months: %d" % promo)
    if demo:
        s.append("  demotion_months: %d" % demo)
    s.extend(rating_lines(levels))
    if pay:
        s.append("pay:")
        if pay[0] == "pools":
            s.append("  method: pool")
            if rnd.random() < 0.5:
                s.append("  pools: {%s}" % ", ".join("%s: %s" % kv for kv in pay[1].items()))
            else:
                s.append("  pools:")
                s.extend("    %s: %s" % kv for kv in pay[1].items())
        else:
            s.append("  method: %s" % pay[0])
            s.append("  %s: %s" % ("pool" if pay[0] == "pool" else "base", pay[1]))
    if scope or (units and rnd.random() < 0.3):
        s.append("scope: %d" % scope)
    if ladder:
        s.append("grades: [%s]" % ", ".join(ladder))
    write(os.path.join(root, "content", "site.yaml"), "\n".join(s) + "\n")

    # managers.yaml: units in shuffled order (the root first is customary, not required).
    mg = []
    if units:
        listed = units[:]
        rnd.shuffle(listed)
        mg.append("units:")
        for uid, parent, _ in listed:
            if parent is None:
                mg.append("  - {id: %s, name: 单位%s}" % (uid, uid))
            else:
                mg.append("  - {id: %s, name: 单位%s, parent: %s}" % (uid, uid, parent))
    mg.append("teams:")
    for t in teams:
        unit = ", unit: %s" % t["unit"] if t["unit"] else ""
        mg.append("  - {id: %s, name: 片区%s%s}" % (t["id"], t["id"], unit))
    mg.append("managers:")
    for m in managers:
        y, mo = chosen[m["from"]]
        mg.append("  - id: %s" % m["id"])
        mg.append("    name: 经理%s" % m["id"])
        mg.append("    team: %s" % m["team"])
        if m["grade"]:
            mg.append("    grade: %s" % m["grade"])
        if m["from"] > 0:
            mg.append("    joined: %04d-%02d-01" % (y, mo))
        if m["to"] < len(chosen) - 1:
            y2, mo2 = chosen[m["to"]]
            mg.append("    left: %04d-%02d-%02d" % (y2, mo2, rnd.choice([1, 15, 28])))
    write(os.path.join(root, "content", "managers.yaml"), "\n".join(mg) + "\n")

    # Results.
    team_of = {t["id"]: t for t in teams}
    parent = {u[0]: u[1] for u in units}

    def chain(unit):
        out = []
        while unit is not None:
            out.append(unit)
            unit = parent[unit]
        return out

    values = ["100", "95.25", "90", "90", "89.99", "80.5", "75", "60", "0", "-5", "120", "100.01"]
    ratios = [("100", "100"), ("90", "100"), ("120", "100"), ("50", "40"), ("30", "100"), ("11", "10")]
    empty_pool_month = False
    for k, (y, mo) in enumerate(chosen):
        month = "%04d-%02d" % (y, mo)
        active = [m for m in managers if m["from"] <= k <= m["to"]]
        listed = [m for m in active if rnd.random() < 0.8] or active[:1]
        if pay and pay[0] == "pools" and rnd.random() < 0.25:
            # A pool unit with no ranked member this month (if that leaves somebody ranked).
            u = rnd.choice(sorted(pay[1]))
            rest = [m for m in listed if u not in chain(team_of[m["team"]]["unit"])]
            if rest and len(rest) < len(listed):
                listed = rest
        if pay and pay[0] == "pools":
            ranked_units = {u for m in listed for u in chain(team_of[m["team"]]["unit"])}
            empty_pool_month |= any(u not in ranked_units for u in pay[1])
        zero = rnd.random() < 0.08
        few = rnd.sample(values, rnd.randint(1, 4))
        fewr = rnd.sample(ratios, rnd.randint(1, 3))
        r = ["month: %s" % month, "results:" + ("" if listed else " {}")]
        for m in listed:
            r.append("  %s:" % m["id"])
            r.append("    v: %s" % ("0" if zero else rnd.choice(few)))
            r.append("    r: {actual: %s, target: %s}" % rnd.choice(fewr))
            r.append("    c: %s" % ("0" if zero or rnd.random() < 0.8 else rnd.choice(["1", "2", "40"])))
            if rnd.random() < 0.08:
                r.append("    veto: 违规")
        write(os.path.join(root, "content", "results", month + ".yaml"), "\n".join(r) + "\n")
        if training:
            for k in range(trn.choice([0, 1, 1, 2])):
                t = ["id: s-%s-%d" % (month, k), "title: 培训%d" % k, "date: %s-%02d" % (month, trn.randint(1, 28))]
                t += ["kind: routine", "topic: 营销技巧", "hours: 2", "attendees:"]
                for m in managers:
                    if trn.random() < 0.6:
                        r = trn.random()
                        if r < 0.6:
                            att = "{present: true, score: %s}" % trn.choice(["95", "80", "60", "100", "72.5", "0"])
                        elif r < 0.75:
                            att = "{present: true}"
                        elif r < 0.9:
                            att = "{present: false, excused: true, reason: 病假}"
                        else:
                            att = "{present: false}"
                        t.append("  %s: %s" % (m["id"], att))
                if t[-1] == "attendees:":
                    t.append("  %s: {present: true, score: 90}" % managers[0]["id"])
                write(os.path.join(root, "content", "trainings", "s-%s-%d.yaml" % (month, k)), "\n".join(t) + "\n")

    above = depth > 0 and any(t["unit"] and unit_depth[t["unit"]] < scope for t in teams)
    return {
        "units": bool(units),
        "depth": depth,
        "scope": scope,
        "pay": pay[0] if pay else None,
        "pool_depths": sorted({unit_depth[u] for u in pay[1]}) if pay and pay[0] == "pools" else [],
        "teams_above_scope": above,
        "teams_on_root": any(t["unit"] == "org" for t in teams),
        "empty_pool_month": empty_pool_month,
        "training": training,
        "joins_or_leaves": any(m["from"] > 0 or m["to"] < len(chosen) - 1 for m in managers),
    }


def round2(x):
    """§5 round2 in doubles: halves away from zero, as Rust's f64::round."""
    y = abs(x * 100)
    n = math.floor(y)
    if y - n >= 0.5:
        n += 1
    return math.copysign(n, x) / 100


def v1_export(root, out):
    """Writes OUT/data/rankings/*.json with the §5 part that the reference takes from rankpress
    (rows with id, total and veto), scored here for this generator's three indicators only, so
    that the reference can run on a site without rankpress (the survey below)."""
    import v3ref  # noqa: E402  (beside this file)

    site = v3ref.Site(root)
    marks = v3ref.training_marks(site)
    for p in sorted(glob.glob(os.path.join(root, "content", "results", "*.yaml"))):
        data = v3ref.read_yaml(p)
        rows = []
        for mid, e in (data.get("results") or {}).items():
            v = float(e["v"])
            sv = min(max(100.0 - 1.0 * max(0.0, 100.0 - v) + 1.0 * max(0.0, v - 100.0), -100.0), 300.0)
            r = float(e["r"]["actual"]) / float(e["r"]["target"])
            sr = 0.0 if r < 0.5 else 10.0 * min(r, 1.2)
            sc = -2.5 * float(e["c"])
            total = 0.0 + sv + sr + sc
            if "tr" in site.indicators:
                ms = marks.get(data["month"], {}).get(mid)
                total += 10.0 if not ms else 10.0 * (sum(ms) / len(ms)) / 100
            total = 0.0 if e.get("veto") else round2(total + 0.0 - 0.0)
            rows.append({"id": mid, "total": total, "veto": e.get("veto")})
        for row in rows:
            row["rank"] = 1 + sum(1 for x in rows if x["total"] > row["total"])
        month = data["month"]
        os.makedirs(os.path.join(out, "data", "rankings"), exist_ok=True)
        with open(os.path.join(out, "data", "rankings", month + ".json"), "w", encoding="utf-8") as f:
            json.dump({"month": month, "rows": rows, "watch": [], "awards": []}, f, ensure_ascii=False)


def survey(work, first, count):
    """For each seed: the site's shape, its contract problems (none expected), and whether the
    reference computes everything on it (with v1_export standing in for rankpress)."""
    import v3ref  # noqa: E402

    out = []
    for seed in range(first, first + count):
        root = os.path.join(work, "site-%d" % seed)
        shape = gen(seed, root)
        shape["seed"] = seed
        shape["problems"] = v3ref.validate(root)
        try:
            v1_export(root, os.path.join(root, "ref-out"))
            _, res = v3ref.compute(root, os.path.join(root, "ref-out"))
            shape["reference"] = "ok"
            shape["awards_per_unit"] = any(
                a["unit"] is not None for m in res["rankings"].values() for a in m["awards"]
            )
        except Exception as e:  # noqa: BLE001 (reported, the test shows it)
            shape["reference"] = "%s: %s" % (type(e).__name__, e)
        out.append(shape)
    return out


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "survey":
        print(json.dumps(survey(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])), indent=1))
    elif len(sys.argv) == 3:
        print(json.dumps(gen(int(sys.argv[1]), sys.argv[2])))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
