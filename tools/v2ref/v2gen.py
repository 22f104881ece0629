#!/usr/bin/env python3
"""Random small rankpress sites that exercise every corner of contract §10.

    v2gen.py SEED DIR     writes DIR/content/ (deterministic for a seed)

Varies: 1 to 20 managers, managers absent some months, gaps between results months, years and
quarters crossing, ties (totals drawn from a few values, so quotas hit tied boundaries), negative
and all-zero totals (W = 0), vetoes, quotas like 33.3 / 12.5 / 100 / 0.5, minimums, levels
without quota or min, coefficients like 0.85 / 1.25 / 1.255 / 0, pay by rating (base 3333.33,
0.01…) or by pool (1000.01, 0.05, 0…), no pay, no ratings, escalate_after 0 to 3, watch.bottom
0 to 4, promotion / demotion months with and without a grade ladder, managers without a grade
or at the ladder's ends.
"""

import os
import random
import sys


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def months_from(start_y, start_m, count):
    out = []
    y, m = start_y, start_m
    for _ in range(count):
        out.append((y, m))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out



def rating_lines(levels):
    """The `ratings:` block of site.yaml for these levels (none when there are no levels)."""
    if not levels:
        return []
    out = ["ratings:"]
    for lv in levels:
        parts = ["id: %s" % lv["id"], "name: %s" % lv["name"]]
        for key in ("quota", "min", "coefficient"):
            if key in lv:
                parts.append("%s: %s" % (key, lv[key]))
        out.append("  - {%s}" % ", ".join(parts))
    return out

def gen(seed, root):
    rnd = random.Random(seed)
    n = rnd.choice([1, 2, 3, 3, 4, 5, 6, 7, 8, 10, 13, 20, 30])
    teams = ["t%d" % k for k in range(1, rnd.randint(1, 3) + 1)]
    ladder = None
    if rnd.random() < 0.6:
        ladder = ["g%d" % k for k in range(1, rnd.randint(1, 4) + 1)]
    managers = []
    for k in range(n):
        mid = "m%02d" % (rnd.randint(0, 99) * 0 + k) if rnd.random() < 0.5 else "x%02d" % k
        grade = None
        if ladder and rnd.random() < 0.8:
            grade = rnd.choice(ladder)
        elif not ladder and rnd.random() < 0.3:
            grade = "free-grade"
        managers.append({"id": mid, "team": rnd.choice(teams), "grade": grade})

    # Levels.
    levels = None
    if rnd.random() < 0.85:
        levels = []
        for k in range(rnd.randint(2, 5) - 1):
            lv = {"id": "l%d" % k, "name": "等次%d" % k}
            r = rnd.random()
            if r < 0.75:
                lv["quota"] = rnd.choice(["20", "30", "33.3", "12.5", "100", "50", "0.5", "99.99", "25", "10", "66.67"])
            if r > 0.5 or r < 0.05:
                lv["min"] = rnd.choice(["90", "75", "60", "0", "-10", "95.25", "80.005", "100"])
            if rnd.random() < 0.8:
                lv["coefficient"] = rnd.choice(["1.2", "1.1", "1.25", "0.85", "1", "0", "1.255", "2", "0.005", "1.333", "1.23456789"])
            levels.append(lv)
        last = {"id": "last", "name": "末等"}
        if rnd.random() < 0.8:
            last["coefficient"] = rnd.choice(["0.6", "0", "0.85", "1", "0.5"])
        levels.append(last)

    pay = None
    r = rnd.random()
    if r < 0.4:
        pay = ("pool", rnd.choice(["60000", "1000.01", "0", "0.01", "0.05", "99999.99", "7", "123.45", "0.03"]))
    elif r < 0.75 and levels:
        pay = ("rating", rnd.choice(["3000", "3333.33", "0", "1000.1", "0.01", "1", "2500.5"]))

    bottom = rnd.choice([None, 0, 1, 2, 3, 4])
    escalate = rnd.choice([None, 0, 1, 2, 3])
    promo = demo = 0
    if levels:
        promo = rnd.choice([0, 0, 1, 2, 3])
        demo = rnd.choice([0, 0, 1, 2, 3])

    # Results months: a window with gaps, often across a year boundary.
    start = rnd.choice([(2025, 10), (2025, 11), (2025, 12), (2026, 1), (2026, 2), (2024, 12)])
    window = months_from(start[0], start[1], rnd.randint(1, 16))
    chosen = [ym for ym in window if rnd.random() < 0.7] or [window[0]]

    # Site.
    s = ["title: 差分测试 %d" % seed, "language: zh-CN"]
    s.append("indicators:")
    s.append("  - {id: v, name: 分值, method: linear, weight: 100, target: 100, per_unit_below: 1, per_unit_above: 1, min: -100, max: 300}")
    s.append("  - {id: c, name: 投诉, method: deduct, per_unit: 2.5}")
    if rnd.random() < 0.7:
        s.append("awards:")
        s.append("  - {id: star, name: 之星, indicator: total, top: %d}" % rnd.randint(1, 3))
        if rnd.random() < 0.5:
            s.append("  - {id: vstar, name: 分值之星, indicator: v, top: 1, min: 90}")
    watch = []
    if bottom is not None:
        watch.append("  bottom: %d" % bottom)
    if escalate is not None:
        watch.append("  escalate_after: %d" % escalate)
    if watch:
        s.append("watch:")
        s.extend(watch)
    annual = ["  excellence_top: 2"]
    if promo or rnd.random() < 0.2 and levels:
        annual.append("  promotion_months: %d" % promo)
    if demo or rnd.random() < 0.2 and levels:
        annual.append("  demotion_months: %d" % demo)
    s.append("annual:")
    s.extend(annual)
    s.extend(rating_lines(levels))
    if pay:
        s.append("pay:")
        s.append("  method: %s" % pay[0])
        s.append("  %s: %s" % ("pool" if pay[0] == "pool" else "base", pay[1]))
    if ladder:
        s.append("grades: [%s]" % ", ".join(ladder))
    write(os.path.join(root, "content", "site.yaml"), "\n".join(s) + "\n")

    mg = ["teams:"]
    for t in teams:
        mg.append("  - {id: %s, name: 片区%s}" % (t, t))
    mg.append("managers:")
    for m in managers:
        mg.append("  - id: %s" % m["id"])
        mg.append("    name: 经理%s" % m["id"])
        mg.append("    team: %s" % m["team"])
        if m["grade"]:
            mg.append("    grade: %s" % m["grade"])
    write(os.path.join(root, "content", "managers.yaml"), "\n".join(mg) + "\n")

    values = ["100", "95.25", "90", "90", "89.99", "80.5", "75", "60", "0", "-5", "120", "100.01", "74.99"]
    for (y, mo) in chosen:
        month = "%04d-%02d" % (y, mo)
        listed = [m for m in managers if rnd.random() < 0.8] or [rnd.choice(managers)]
        if rnd.random() < 0.04:
            listed = []  # a results month with nobody ranked
        zero = rnd.random() < 0.1
        few = rnd.sample(values, rnd.randint(1, 4))
        r = ["month: %s" % month, "results:" + ("" if listed else " {}")]
        for m in listed:
            v = "0" if zero else rnd.choice(few)
            r.append("  %s:" % m["id"])
            r.append("    v: %s" % v)
            r.append("    c: %s" % ("0" if zero or rnd.random() < 0.8 else rnd.choice(["1", "2", "40"])))
            if rnd.random() < 0.1:
                r.append("    veto: 违规")
        write(os.path.join(root, "content", "results", month + ".yaml"), "\n".join(r) + "\n")
    return pay is not None


if __name__ == "__main__":
    gen(int(sys.argv[1]), sys.argv[2])
