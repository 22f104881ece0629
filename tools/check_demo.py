#!/usr/bin/env python3
"""Independent sanity check of the demo data in content/ against the data contract.

Needs PyYAML (`pip install pyyaml`); only this optional checker uses it.

    python3 tools/check_demo.py            # checks content/ next to tools/
    python3 tools/check_demo.py --root DIR # checks DIR/content/

It re-reads the YAML, asserts the contract's rules (plus the demo's own:
a manager is only listed in a results month once he has joined), recomputes
the monthly scores as the contract defines them and prints a short summary.
Exit status 1 on any problem.
"""

import argparse
import calendar
import datetime as dt
import glob
import os
import re
import sys
from fractions import Fraction

import yaml

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
KINDS = {"pre_job", "routine", "promotion", "vocational"}
METHOD_KEYS = {
    "ratio": {"weight", "cap", "floor"},
    "percent": {"weight"},
    "linear": {"weight", "target", "per_unit_below", "per_unit_above", "min", "max"},
    "deduct": {"per_unit", "limit"},
    "training": {"weight"},
}
COMMON_KEYS = {"id", "name", "group", "method"}

problems = []


def err(where, msg):
    problems.append("%s: %s" % (where, msg))


def check(cond, where, msg):
    if not cond:
        err(where, msg)
    return cond


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        return yaml.safe_load(f)


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def as_date(v, where):
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    err(where, "not a date YYYY-MM-DD: %r" % (v,))
    return None


def keys_ok(obj, allowed, required, where):
    if not check(isinstance(obj, dict), where, "expected a mapping"):
        return False
    for k in obj:
        check(k in allowed, where, "unknown key %r" % (k,))
    for k in required:
        check(k in obj, where, "missing key %r" % (k,))
    return True


def month_bounds(m):
    y, mm = map(int, m.split("-"))
    return dt.date(y, mm, 1), dt.date(y, mm, calendar.monthrange(y, mm)[1])


def round_half_away(x):
    return float(int(x + 0.5)) if x >= 0 else -float(int(-x + 0.5))


def round2(x):
    return round_half_away(x * 100) / 100


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    args = ap.parse_args()
    C = os.path.join(os.path.abspath(args.root), "content")

    # ---------------- site.yaml
    site = load(os.path.join(C, "site.yaml"))
    W = "site.yaml"
    keys_ok(site, {"title", "organization", "language", "theme", "base_url", "indicators", "awards",
                   "watch", "training", "suggestions", "annual", "bulletin", "ratings", "pay", "grades"},
            {"title", "indicators"}, W)
    check(site.get("language", "zh-CN") in ("zh-CN", "en"), W, "language")
    inds = site["indicators"]
    ind_by_id = {}
    for i, ind in enumerate(inds):
        w = "%s indicators[%d]" % (W, i)
        method = ind.get("method")
        if not check(method in METHOD_KEYS, w, "bad method %r" % (method,)):
            continue
        keys_ok(ind, COMMON_KEYS | METHOD_KEYS[method], {"id", "name", "method"} |
                ({"weight"} if method != "deduct" else {"per_unit"}) |
                ({"target"} if method == "linear" else set()), w)
        check(ID_RE.match(str(ind.get("id"))), w, "bad id")
        check(ind["id"] not in ind_by_id and ind["id"] != "total", w, "duplicate/reserved id")
        ind_by_id[ind["id"]] = ind
        if "weight" in ind:
            check(is_num(ind["weight"]) and ind["weight"] > 0, w, "weight > 0")
        if method == "ratio":
            check(ind.get("cap", 1.0) > 0, w, "cap > 0")
            check(ind.get("floor", 0) >= 0, w, "floor >= 0")
        if method == "linear":
            check(ind.get("per_unit_below", 0) >= 0 and ind.get("per_unit_above", 0) >= 0, w, "per_unit >= 0")
        if method == "deduct":
            check(ind["per_unit"] > 0, w, "per_unit > 0")
            check(ind.get("limit", 1) > 0, w, "limit > 0")
    methods_used = {ind["method"] for ind in inds}
    check(methods_used == set(METHOD_KEYS), W, "every method should be used: %s" % methods_used)
    check({"需求预测", "品牌培育", "服务客户", "营销业绩", "学习培训"} <= {ind.get("group") for ind in inds},
          W, "groups")
    awards = site.get("awards", [])
    for i, a in enumerate(awards):
        w = "%s awards[%d]" % (W, i)
        keys_ok(a, {"id", "name", "indicator", "top", "min"}, {"id", "name", "indicator"}, w)
        check(ID_RE.match(a["id"]), w, "bad id")
        check(a["indicator"] == "total" or (a["indicator"] in ind_by_id and
                                            ind_by_id[a["indicator"]]["method"] != "deduct"), w, "indicator")
        check(isinstance(a.get("top", 1), int) and a.get("top", 1) >= 1, w, "top >= 1")
    for sec, ks in (("watch", {"bottom", "escalate_after"}), ("training", {"pass_mark"}),
                    ("suggestions", {"bonus_per_adopted"}),
                    ("annual", {"excellence_top", "min_months", "promotion_months", "demotion_months"})):
        if sec in site:
            keys_ok(site[sec], ks, set(), "%s %s" % (W, sec))
    bottom = site.get("watch", {}).get("bottom", 3)
    pass_mark = site.get("training", {}).get("pass_mark", 60)
    per_adopted = site.get("suggestions", {}).get("bonus_per_adopted", 0)

    # ---------------- managers.yaml
    W = "managers.yaml"
    mg = load(os.path.join(C, "managers.yaml"))
    keys_ok(mg, {"teams", "managers"}, {"teams", "managers"}, W)
    teams = {}
    for t in mg["teams"]:
        keys_ok(t, {"id", "name"}, {"id", "name"}, W + " team")
        check(ID_RE.match(t["id"]) and t["id"] not in teams, W, "team id %r" % t["id"])
        teams[t["id"]] = t
    roster = {}
    for m in mg["managers"]:
        w = "%s manager %s" % (W, m.get("id"))
        keys_ok(m, {"id", "name", "team", "grade", "joined", "left", "email"}, {"id", "name", "team"}, w)
        check(ID_RE.match(m["id"]) and m["id"] not in roster, w, "bad or duplicate id")
        check(m["team"] in teams, w, "unknown team")
        m["_joined"] = as_date(m["joined"], w) if "joined" in m else None
        m["_left"] = as_date(m["left"], w) if "left" in m else None
        if m["_joined"] and m["_left"]:
            check(m["_joined"] < m["_left"], w, "joined before left")
        if "email" in m:
            check(re.match(r"^[a-z0-9.]+@([a-z0-9-]+\.)*example\.com$", m["email"]), w, "example.com email")
        roster[m["id"]] = m
    check(len(teams) == 3 and len(roster) == 18, W, "3 teams, 18 managers")

    def employed(mid, day):
        m = roster[mid]
        return (m["_joined"] is None or m["_joined"] <= day) and (m["_left"] is None or day <= m["_left"])

    # ---------------- results
    results = {}
    for path in sorted(glob.glob(os.path.join(C, "results", "*.yaml"))):
        name = os.path.basename(path)[:-5]
        W = "results/%s.yaml" % name
        doc = load(path)
        keys_ok(doc, {"month", "note", "results"}, {"month"}, W)
        check(MONTH_RE.match(name), W, "file name is a month")
        check(str(doc.get("month")) == name, W, "month %r != file name" % doc.get("month"))
        start, end = month_bounds(name)
        rows = doc.get("results") or {}
        for mid, e in rows.items():
            w = "%s %s" % (W, mid)
            if not check(mid in roster, w, "not in roster"):
                continue
            m = roster[mid]
            check(m["_left"] is None or m["_left"] >= start, w, "left before the month began")
            check(m["_joined"] is None or m["_joined"] <= end, w, "joined after the month ended (demo rule)")
            allowed = {i["id"] for i in inds if i["method"] != "training"} | {"bonus", "deductions", "veto"}
            keys_ok(e, allowed, {i["id"] for i in inds if i["method"] != "training"}, w)
            for ind in inds:
                v = e.get(ind["id"])
                if ind["method"] == "ratio":
                    if keys_ok(v, {"actual", "target"}, {"actual", "target"}, w + " " + ind["id"]):
                        check(is_num(v["actual"]) and v["actual"] >= 0, w, "actual >= 0")
                        check(is_num(v["target"]) and v["target"] > 0, w, "target > 0")
                elif ind["method"] == "percent":
                    check(is_num(v) and 0 <= v <= 100, w, "%s percent in [0,100]" % ind["id"])
                elif ind["method"] == "linear":
                    check(is_num(v), w, "%s number" % ind["id"])
                elif ind["method"] == "deduct":
                    check(is_num(v) and v >= 0, w, "%s count >= 0" % ind["id"])
            for key in ("bonus", "deductions"):
                for it in e.get(key, []):
                    keys_ok(it, {"points", "reason"}, {"points"}, w + " " + key)
                    check(is_num(it["points"]) and it["points"] >= 0, w, "points >= 0")
            if "veto" in e:
                check(isinstance(e["veto"], str) and e["veto"], w, "veto reason")
        results[name] = doc

    # ---------------- training plan
    plans = {}
    pp = os.path.join(C, "training-plan.yaml")
    if os.path.exists(pp):
        doc = load(pp)
        keys_ok(doc, {"plans"}, {"plans"}, "training-plan.yaml")
        for p in doc["plans"]:
            w = "training-plan.yaml %s" % p.get("id")
            keys_ok(p, {"id", "month", "title", "kind"}, {"id", "month"}, w)
            check(ID_RE.match(p["id"]) and p["id"] not in plans, w, "bad/duplicate id")
            check(MONTH_RE.match(str(p["month"])), w, "month")
            check(p.get("kind", "routine") in KINDS, w, "kind")
            plans[p["id"]] = p

    # ---------------- trainings
    sessions = []
    seen = set()
    for path in sorted(glob.glob(os.path.join(C, "trainings", "**", "*.yaml"), recursive=True)):
        W = os.path.relpath(path, C)
        s = load(path)
        keys_ok(s, {"id", "title", "date", "kind", "topic", "hours", "instructor", "plan", "attendees"},
                {"id", "title", "date", "kind", "hours", "attendees"}, W)
        check(ID_RE.match(s["id"]) and s["id"] not in seen, W, "bad/duplicate id")
        seen.add(s["id"])
        check(os.path.basename(path) == s["id"] + ".yaml", W, "file named after id")
        s["_date"] = day = as_date(s["date"], W)
        check(s["kind"] in KINDS, W, "kind")
        check(is_num(s["hours"]) and s["hours"] > 0, W, "hours > 0")
        if "plan" in s:
            check(s["plan"] in plans, W, "unknown plan %r" % s["plan"])
        for mid, rec in (s["attendees"] or {}).items():
            w = "%s %s" % (W, mid)
            if not check(mid in roster, w, "not in roster"):
                continue
            check(employed(mid, day), w, "not employed on the session date")
            keys_ok(rec, {"present", "score", "excused", "reason"}, {"present"}, w)
            check(isinstance(rec["present"], bool), w, "present bool")
            if "score" in rec:
                check(rec["present"] and is_num(rec["score"]) and 0 <= rec["score"] <= 100, w, "score")
            if rec["present"]:
                check("excused" not in rec and "reason" not in rec, w, "excused only when absent")
        sessions.append(s)

    # ---------------- competitions, innovations, suggestions
    cid = set()
    comps = []
    for path in sorted(glob.glob(os.path.join(C, "competitions", "*.yaml"))):
        W = os.path.relpath(path, C)
        c = load(path)
        keys_ok(c, {"id", "name", "date", "results"}, {"id", "name", "date", "results"}, W)
        check(ID_RE.match(c["id"]) and c["id"] not in cid, W, "id")
        cid.add(c["id"])
        c["_date"] = as_date(c["date"], W)
        check(c["_date"].strftime("%Y-%m") in results, W, "dated in a month with results")
        for r in c["results"]:
            keys_ok(r, {"manager", "place", "prize", "bonus"}, {"manager"}, W)
            check(r["manager"] in roster, W, "unknown manager %r" % r["manager"])
            check(r.get("bonus", 0) >= 0, W, "bonus >= 0")
        comps.append(c)
    innos = []
    ip = os.path.join(C, "innovations.yaml")
    if os.path.exists(ip):
        doc = load(ip)
        keys_ok(doc, {"innovations"}, {"innovations"}, "innovations.yaml")
        ids = set()
        for it in doc["innovations"]:
            w = "innovations.yaml %s" % it.get("id")
            keys_ok(it, {"id", "title", "month", "managers", "grade", "bonus"}, {"id", "title", "month", "managers"}, w)
            check(ID_RE.match(it["id"]) and it["id"] not in ids, w, "id")
            ids.add(it["id"])
            check(MONTH_RE.match(str(it["month"])), w, "month")
            for mid in it["managers"]:
                check(mid in roster, w, "unknown manager %r" % mid)
            innos.append(it)
    sugg = []
    sp = os.path.join(C, "suggestions.yaml")
    if os.path.exists(sp):
        doc = load(sp)
        keys_ok(doc, {"suggestions"}, {"suggestions"}, "suggestions.yaml")
        for it in doc["suggestions"]:
            w = "suggestions.yaml %s %s" % (it.get("manager"), it.get("month"))
            keys_ok(it, {"manager", "month", "kind", "text", "adopted"}, {"manager", "month", "kind", "text"}, w)
            check(it["manager"] in roster, w, "unknown manager")
            check(MONTH_RE.match(str(it["month"])), w, "month")
            check(it["kind"] in ("supply", "allocation"), w, "kind")
            check(isinstance(it.get("adopted", False), bool), w, "adopted bool")
            sugg.append(it)

    # ---------------- pages
    pages = sorted(glob.glob(os.path.join(C, "pages", "*.md")))
    for path in pages:
        W = os.path.relpath(path, C)
        text = open(path, encoding="utf-8").read()
        mt = re.match(r"^---\n(.*?)\n---\n", text, re.S)
        if check(mt, W, "YAML front matter"):
            fm = yaml.safe_load(mt.group(1))
            keys_ok(fm, {"title", "order"}, {"title", "order"}, W)
        check(ID_RE.match(os.path.basename(path)[:-3]), W, "page name is an id")

    # ---------------- scoring (contract section 5) and demo expectations
    def scores_for(month):
        rows = results[month]["results"] or {}
        marks = {}
        for s in sessions:
            if s["_date"].strftime("%Y-%m") != month:
                continue
            for mid, rec in s["attendees"].items():
                if rec["present"]:
                    if "score" in rec:
                        marks.setdefault(mid, []).append(rec["score"])
                elif not rec.get("excused", False):
                    marks.setdefault(mid, []).append(0)
        extra = {}
        for c in comps:
            if c["_date"].strftime("%Y-%m") == month:
                for r in c["results"]:
                    extra[r["manager"]] = extra.get(r["manager"], 0) + r.get("bonus", 0)
        for it in innos:
            if it["month"] == month:
                for mid in it["managers"]:
                    extra[mid] = extra.get(mid, 0) + it.get("bonus", 0)
        for it in sugg:
            if it["month"] == month and it.get("adopted"):
                extra[it["manager"]] = extra.get(it["manager"], 0) + per_adopted
        out = {}
        for mid, e in rows.items():
            perf, total = {}, 0.0
            for ind in inds:
                meth, w = ind["method"], ind.get("weight")
                if meth == "ratio":
                    r = e[ind["id"]]["actual"] / e[ind["id"]]["target"]
                    s = 0 if r < ind.get("floor", 0) else w * min(r, ind.get("cap", 1.0))
                    p = r
                elif meth == "percent":
                    p = e[ind["id"]]
                    s = w * p / 100
                elif meth == "linear":
                    p = v = e[ind["id"]]
                    t = ind["target"]
                    s = w - ind.get("per_unit_below", 0) * max(0, t - v) + ind.get("per_unit_above", 0) * max(0, v - t)
                    s = min(max(s, ind.get("min", 0)), ind.get("max", w))
                elif meth == "deduct":
                    p = e[ind["id"]]
                    s = -min(ind["per_unit"] * p, ind["limit"]) if "limit" in ind else -ind["per_unit"] * p
                else:
                    p = sum(marks[mid]) / len(marks[mid]) if mid in marks else None
                    s = w if p is None else w * p / 100
                perf[ind["id"]] = p
                total += s
            bonus = sum(b["points"] for b in e.get("bonus", [])) + extra.get(mid, 0)
            ded = sum(b["points"] for b in e.get("deductions", []))
            raw = total + bonus - ded
            # keep the demo robust: no total sits on a half-cent rounding boundary
            frac = abs(raw * 100 - int(raw * 100))
            check(abs(frac - 0.5) > 1e-6, "results/%s %s" % (month, mid), "total %r on a rounding boundary" % raw)
            total = round2(raw)
            if "veto" in e:
                total = 0.0
            perf["total"] = total
            out[mid] = (total, perf, "veto" in e)
        return out

    vetoes, tie_months, summary = [], [], []
    stars_seen, watch_seen = {}, []
    prev_watch = None
    for month in sorted(results):
        sc = scores_for(month)
        tots = {m: v[0] for m, v in sc.items()}
        ranks = {m: 1 + sum(1 for o in tots.values() if o > t) for m, t in tots.items()}
        order = sorted(tots, key=lambda m: (ranks[m], m))
        vetoes += [(month, m) for m, v in sc.items() if v[2]]
        groups = {}
        for m in sorted(tots):
            groups.setdefault(tots[m], []).append(m)
        ties = [ms for ms in groups.values() if len(ms) > 1]
        if ties:
            tie_months.append((month, ties))
        aw = {}
        for a in awards:
            cand = {m: v[1][a["indicator"]] for m, v in sc.items()
                    if not v[2] and v[1][a["indicator"]] is not None and
                    ("min" not in a or v[1][a["indicator"]] >= a["min"])}
            vs = sorted(cand.values(), reverse=True)
            if vs:
                th = vs[min(a.get("top", 1), len(vs)) - 1]
                aw[a["id"]] = sorted([m for m in cand if cand[m] >= th], key=lambda m: (-cand[m], m))
            else:
                aw[a["id"]] = []
            stars_seen.setdefault(a["id"], []).append(tuple(aw[a["id"]]))
        lows = sorted(tots.values())
        watch = sorted([m for m in tots if tots[m] <= lows[min(bottom, len(lows)) - 1]],
                       key=lambda m: (tots[m], m)) if bottom else []
        watch_seen.append(tuple(watch))
        if prev_watch is not None:
            check(watch != prev_watch, "results/%s" % month, "watch list identical to previous month")
        prev_watch = watch
        summary.append("%s  n=%2d  top: %s  overall: %s  brand: %s  sales: %s  forecast: %s  watch: %s" % (
            month, len(tots),
            ", ".join("%s %.2f" % (m, tots[m]) for m in order[:3]),
            "/".join(aw.get("overall", [])), "/".join(aw.get("brand-star", [])) or "-",
            "/".join(aw.get("sales-star", [])) or "-", "/".join(aw.get("forecast-star", [])) or "-",
            "/".join(watch)))

    check(len(vetoes) == 1, "results", "exactly one veto, found %s" % vetoes)
    check(tie_months, "results", "at least one month with an exact tie in total")
    for aid, seq in stars_seen.items():
        check(len(set(seq)) > 3, "awards", "%s winners should vary month to month" % aid)
    check(len(set(watch_seen)) > 6, "watch", "watch lists should vary")

    # training expectations
    all_recs = [r for s in sessions for r in s["attendees"].values()]
    check(any(not r["present"] and r.get("excused") for r in all_recs), "trainings", "some excused absences")
    check(any(not r["present"] and not r.get("excused") for r in all_recs), "trainings", "some unexcused absences")
    check(any(r["present"] and "score" not in r for r in all_recs), "trainings", "some present without score")
    check(any("score" in r and r["score"] < pass_mark for r in all_recs), "trainings", "some scores below pass mark")
    check(all(55 <= r["score"] <= 100 for r in all_recs if "score" in r), "trainings", "scores within 55-100")
    check({s["kind"] for s in sessions} == KINDS, "trainings", "every kind used")
    check(all(1 <= s["hours"] <= 8 for s in sessions), "trainings", "hours 1-8")
    held = {s["plan"] for s in sessions if "plan" in s}
    not_held = sorted(set(plans) - held)
    check(2 <= len(not_held) <= 3, "training-plan.yaml", "2-3 plan entries not held, found %s" % not_held)
    check({p["month"] for p in plans.values()} >= set(results), "training-plan.yaml", "plan entries every month")
    for month in sorted(results):
        ms = [s for s in sessions if s["_date"].strftime("%Y-%m") == month]
        check(ms, "trainings", "no session in %s" % month)
    # plan completion per month, as the contract defines it
    completion = {}
    for month in sorted(results):
        _, end = month_bounds(month)
        due = [p for p in plans.values() if p["month"] == month]
        h = {s["plan"] for s in sessions if "plan" in s and s["_date"] <= end}
        completion[month] = Fraction(sum(1 for p in due if p["id"] in h), len(due)) if due else None
    check(any(c is not None and c < 1 for c in completion.values()), "training-plan.yaml", "some month < 100%")
    notes = sum(1 for d in results.values() if d.get("note"))
    check(notes >= len(results) * 2 // 3, "results", "notes in most months")
    check(len(pages) >= 2, "pages", "two pages")

    print("\n".join(summary))
    print("veto:", vetoes)
    print("months with an exact tie in total:", ", ".join(
        "%s (%s)" % (m, "; ".join("/".join(ms) for ms in ties) ) for m, ties in tie_months))
    print("plan entries not held:", not_held)
    print("plan completion < 100%%: %s" % ", ".join("%s %.0f%%" % (m, c * 100) for m, c in completion.items()
                                                 if c is not None and c < 1))
    print("sessions: %d, kinds: %s" % (len(sessions), sorted({s["kind"] for s in sessions})))
    if problems:
        print("\n%d problem(s):" % len(problems))
        for p in problems:
            print("  " + p)
        sys.exit(1)
    print("OK: content passes the demo checks")


if __name__ == "__main__":
    main()
