#!/usr/bin/env python3
"""Independent reference implementation of data contract §10 (version 2), for differential tests.

Written from the text of the contract (../shared/spec/data-format.md §10), not from rankpress's
Rust code. Python 3 standard library only; every quantity is exact (fractions.Fraction /
decimal.Decimal), never a double.

What it takes from rankpress (the parts of §5 that the version 1 conformance fixtures verify):
each month's rows (id, total, veto), watch list and award winners from
`OUT/data/rankings/YYYY-MM.json`. Everything else (monthly ranks, rating levels, escalation,
annual and quarterly rows with their ranks, rating counts, promotion/demotion, pay) is computed
here from those and from `content/site.yaml` / `content/managers.yaml`, read with a tiny YAML
reader that keeps every scalar as the text it is written as.

Usage:
    v2ref.py compare SITE OUT [PAYROLL_DIR]   exit 1 and print the differences, 0 when equal
    v2ref.py expected SITE OUT                print what the reference computes (JSON)
"""

import csv
import json
import os
import re
import sys
from decimal import Decimal
from fractions import Fraction

# --------------------------------------------------------------------------------------------
# A tiny YAML reader: block mappings and sequences, flow mappings and sequences, plain and
# quoted scalars, comments. Scalars stay strings (None for null / ~), so numbers keep the
# decimal text they are written as. Enough for site.yaml and managers.yaml.
# --------------------------------------------------------------------------------------------


def _strip_comment(line):
    out, quote = [], None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _scalar(text):
    t = text.strip()
    if t in ("", "~", "null", "Null", "NULL"):
        return None
    if len(t) >= 2 and t[0] == t[-1] == '"':
        return json.loads(t)
    if len(t) >= 2 and t[0] == t[-1] == "'":
        return t[1:-1].replace("''", "'")
    return t


class _Flow:
    def __init__(self, s):
        self.s, self.i = s, 0

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def value(self):
        self.ws()
        c = self.s[self.i]
        if c == "{":
            self.i += 1
            out = {}
            while True:
                self.ws()
                if self.s[self.i] == "}":
                    self.i += 1
                    return out
                key = self.atom(":")
                assert self.s[self.i] == ":", self.s
                self.i += 1
                out[key] = self.value()
                self.ws()
                if self.s[self.i] == ",":
                    self.i += 1
        if c == "[":
            self.i += 1
            out = []
            while True:
                self.ws()
                if self.s[self.i] == "]":
                    self.i += 1
                    return out
                out.append(self.value())
                self.ws()
                if self.s[self.i] == ",":
                    self.i += 1
        return self.atom(",]}")

    def atom(self, stops):
        self.ws()
        c = self.s[self.i]
        if c in "'\"":
            j = self.i + 1
            while self.s[j] != c or (c == '"' and self.s[j - 1] == "\\"):
                j += 1
            text = self.s[self.i : j + 1]
            self.i = j + 1
            self.ws()
            return _scalar(text)
        j = self.i
        while j < len(self.s) and not (
            self.s[j] in stops and (self.s[j] != ":" or j + 1 >= len(self.s) or self.s[j + 1] in " ,]}")
        ):
            j += 1
        text = self.s[self.i : j]
        self.i = j
        return _scalar(text)


def _inline(text):
    t = text.strip()
    if t.startswith("{") or t.startswith("["):
        return _Flow(t).value()
    return _scalar(t)


_KEY = re.compile(r"^([^\s'\"{\[#][^:]*?|\"[^\"]*\"|'[^']*'):(?:\s+(.*))?$")


def yaml_load(text):
    """Parses the YAML subset above; returns dicts, lists and strings / None."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = []
    for raw in text.splitlines():
        if raw.strip() in ("---",):
            continue
        line = _strip_comment(raw)
        if line.strip():
            lines.append([len(line) - len(line.lstrip(" ")), line.strip()])

    def block(i, indent):
        if lines[i][1] == "-" or lines[i][1].startswith("- "):
            return seq(i, indent)
        return mapping(i, indent)

    def seq(i, indent):
        out = []
        while i < len(lines) and lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- ")):
            rest = lines[i][1][1:].lstrip()
            if rest == "":
                v, i = block(i + 1, lines[i + 1][0])
            elif _KEY.match(rest) and not rest.startswith(("{", "[")):
                lines[i] = [indent + len(lines[i][1]) - len(rest), rest]
                v, i = mapping(i, lines[i][0])
            else:
                v, i = _inline(rest), i + 1
            out.append(v)
        return out, i

    def mapping(i, indent):
        out = {}
        while i < len(lines) and lines[i][0] == indent:
            m = _KEY.match(lines[i][1])
            assert m, "not a mapping entry: %r" % lines[i][1]
            key, rest = _scalar(m.group(1)), m.group(2)
            if rest is not None and rest.strip() in ("|", ">", "|-", ">-"):
                # A block scalar: skip its lines (never needed here).
                i += 1
                while i < len(lines) and lines[i][0] > indent:
                    i += 1
                out[key] = ""
                continue
            if rest is None or rest.strip() == "":
                i += 1
                if i < len(lines) and (
                    lines[i][0] > indent
                    or (lines[i][0] == indent and (lines[i][1] == "-" or lines[i][1].startswith("- ")))
                ):
                    out[key], i = block(i, lines[i][0])
                else:
                    out[key] = None
            else:
                out[key], i = _inline(rest), i + 1
        return out, i

    if not lines:
        return None
    return block(0, lines[0][0])[0]


# --------------------------------------------------------------------------------------------
# Exact arithmetic helpers
# --------------------------------------------------------------------------------------------


def frac(text):
    """The exact value of a number as written (YAML text or JSON decimal)."""
    if isinstance(text, Fraction):
        return text
    return Fraction(Decimal(str(text)))


def round_half_away(x):
    """The integer nearest to the Fraction x, halves away from zero."""
    sign = -1 if x < 0 else 1
    a = abs(x)
    n = a.numerator // a.denominator
    if a - n >= Fraction(1, 2):
        n += 1
    return sign * n


def cents(x):
    """A Fraction amount in whole hundredths, halves away from zero."""
    return round_half_away(x * 100)


def money(c):
    """Whole cents as an exact Decimal (what the JSON must hold)."""
    return Decimal(c) / 100


def rank_of(values):
    """rank = 1 + the number of strictly greater values, for a dict id -> value."""
    return {k: 1 + sum(1 for w in values.values() if w > v) for k, v in values.items()}


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


def intval(v, default):
    return default if v is None else int(v)


class Site:
    def __init__(self, root):
        content = os.path.join(root, "content")
        with open(os.path.join(content, "site.yaml"), encoding="utf-8") as f:
            site = yaml_load(f.read()) or {}
        with open(os.path.join(content, "managers.yaml"), encoding="utf-8") as f:
            roster = yaml_load(f.read()) or {}
        self.levels = None
        if site.get("ratings") is not None:
            self.levels = []
            for lv in site["ratings"]:
                self.levels.append(
                    {
                        "id": lv["id"],
                        "name": lv["name"],
                        "quota": None if lv.get("quota") is None else frac(lv["quota"]),
                        "min": None if lv.get("min") is None else frac(lv["min"]),
                        "coefficient": frac(lv["coefficient"]) if lv.get("coefficient") is not None else Fraction(1),
                    }
                )
        self.pay = site.get("pay")
        watch = site.get("watch") or {}
        self.bottom = intval(watch.get("bottom"), 3)
        self.escalate_after = intval(watch.get("escalate_after"), 0)
        annual = site.get("annual") or {}
        self.promotion_months = intval(annual.get("promotion_months"), 0)
        self.demotion_months = intval(annual.get("demotion_months"), 0)
        self.grades = site.get("grades")
        self.managers = {m["id"]: m for m in roster.get("managers") or []}


# --------------------------------------------------------------------------------------------
# §10 computations
# --------------------------------------------------------------------------------------------


class Month:
    """One results month as rankpress's v1 export gives it; totals in exact hundredths."""

    def __init__(self, data):
        self.month = data["month"]
        self.rows = data["rows"]
        self.total = {r["id"]: frac(r["total"]) for r in self.rows}
        self.veto = {r["id"]: r["veto"] is not None for r in self.rows}
        self.rank = rank_of(self.total)
        self.watch = list(data["watch"])
        self.awards = {a["id"]: list(a["managers"]) for a in data["awards"]}
        self.exported_rank = {r["id"]: r["rank"] for r in self.rows}


def assign_levels(site, m):
    """Rating level id of each ranked manager in month m ("Assigning levels in month M")."""
    if site.levels is None:
        return {i: None for i in m.total}
    n = len(m.total)
    out = {i: site.levels[-1]["id"] for i in m.total if m.veto[i]}
    pool = sorted((i for i in m.total if not m.veto[i]), key=lambda i: (m.rank[i], i))
    for lv in site.levels[:-1]:
        cands = [i for i in pool if lv["min"] is None or m.total[i] >= lv["min"]]
        if lv["quota"] is not None:
            q = n * lv["quota"] / 100
            k = q.numerator // q.denominator
            if k == 0:
                got = []
            elif len(cands) <= k:
                got = cands
            else:
                kth = m.total[cands[k - 1]]
                got = [i for i in cands if m.total[i] >= kth]
        else:
            got = cands
        for i in got:
            out[i] = lv["id"]
        pool = [i for i in pool if i not in set(got)]
    for i in pool:
        out[i] = site.levels[-1]["id"]
    return out


def escalated(site, months, idx):
    """Escalated managers of months[idx] with their streaks."""
    n = site.escalate_after
    if n <= 0:
        return []
    m = months[idx]
    out = []
    for i in m.watch:
        streak = 0
        j = idx
        while j >= 0 and i in months[j].watch:
            streak += 1
            j -= 1
        if streak >= n:
            out.append(i)
    out.sort(key=lambda i: (m.total[i], i))
    res = []
    for i in out:
        streak, j = 0, idx
        while j >= 0 and i in months[j].watch:
            streak += 1
            j -= 1
        res.append({"id": i, "streak": streak})
    return res


def summarize(site, months, levels):
    """Annual / quarterly rows over the given months (§5 Annual plus `ratings`)."""
    acc = {}
    for m in months:
        for i in m.total:
            a = acc.setdefault(
                i,
                {"months": 0, "sum": Fraction(0), "best_rank": None, "top3": 0, "watch": 0, "vetoes": 0, "awards": {}, "ratings": {}},
            )
            a["months"] += 1
            a["sum"] += m.total[i]
            r = m.rank[i]
            a["best_rank"] = r if a["best_rank"] is None else min(a["best_rank"], r)
            a["top3"] += 1 if r <= 3 else 0
            a["watch"] += 1 if i in m.watch else 0
            a["vetoes"] += 1 if m.veto[i] else 0
            for aw, winners in m.awards.items():
                if i in winners:
                    a["awards"][aw] = a["awards"].get(aw, 0) + 1
            lv = levels[m.month][i]
            if lv is not None:
                a["ratings"][lv] = a["ratings"].get(lv, 0) + 1
    avg = {i: cents(a["sum"] / a["months"]) for i, a in acc.items()}
    rank = rank_of(avg)
    rows = []
    for i in sorted(acc, key=lambda i: (rank[i], i)):
        a = acc[i]
        mgr = site.managers[i]
        rows.append(
            {
                "rank": rank[i],
                "id": i,
                "name": mgr["name"],
                "team": mgr["team"],
                "months": a["months"],
                "average": money(avg[i]),
                "best_rank": a["best_rank"],
                "top3": a["top3"],
                "watch": a["watch"],
                "vetoes": a["vetoes"],
                "awards": a["awards"],
                "ratings": a["ratings"],
            }
        )
    return rows


def grade_step(site, mid, step):
    grade = site.managers[mid].get("grade")
    if not site.grades or grade is None:
        return {"id": mid, "from": None, "to": None}
    k = site.grades.index(grade) + step
    return {"id": mid, "from": grade, "to": site.grades[k] if 0 <= k < len(site.grades) else None}


def promotion_demotion(site, rows):
    promo, demo = [], []
    if site.levels is None:
        return promo, demo
    first, last = site.levels[0]["id"], site.levels[-1]["id"]
    p, d = site.promotion_months, site.demotion_months
    for r in rows:  # rows are in annual rank order, then id
        if p > 0 and r["ratings"].get(first, 0) >= p and r["vetoes"] == 0 and (d <= 0 or r["ratings"].get(last, 0) < d):
            promo.append(grade_step(site, r["id"], +1))
        if d > 0 and r["ratings"].get(last, 0) >= d:
            demo.append(grade_step(site, r["id"], -1))
    return promo, demo


def payroll(site, m, levels):
    """The payroll JSON of month m, or None without `pay`."""
    pay = site.pay
    if pay is None:
        return None
    method = pay["method"]
    ids = sorted(m.total, key=lambda i: (m.rank[i], i))
    coef = {}
    for i in ids:
        lv = levels[i]
        coef[i] = next(l["coefficient"] for l in site.levels if l["id"] == lv) if lv is not None else None
    paid = {}
    if method == "rating":
        base = frac(pay["base"])
        for i in ids:
            paid[i] = 0 if m.veto[i] else cents(base * coef[i])
    else:
        pool = cents(frac(pay["pool"]))
        w = {i: (Fraction(0) if m.veto[i] else max(m.total[i], Fraction(0)) * (coef[i] if coef[i] is not None else 1)) for i in ids}
        W = sum(w.values())
        if W == 0:
            paid = {i: 0 for i in ids}
        else:
            rem = {}
            for i in ids:
                x = pool * w[i] / W
                paid[i] = x.numerator // x.denominator
                rem[i] = pool * w[i] - paid[i] * W
            left = pool - sum(paid.values())
            order = sorted(ids, key=lambda i: (-rem[i], m.rank[i], i))
            for i in order[:left]:
                paid[i] += 1
    rows = []
    for i in ids:
        mgr = site.managers[i]
        rows.append(
            {
                "rank": m.rank[i],
                "id": i,
                "name": mgr["name"],
                "team": mgr["team"],
                "total": Decimal(m.total[i].numerator) / Decimal(m.total[i].denominator),
                "rating": levels[i],
                "coefficient": None if coef[i] is None else Decimal(coef[i].numerator) / Decimal(coef[i].denominator),
                "pay": money(paid[i]),
            }
        )
    return {
        "month": m.month,
        "method": method,
        "base": money(cents(frac(pay["base"]))) if method == "rating" else None,
        "pool": money(cents(frac(pay["pool"]))) if method == "pool" else None,
        "paid": money(sum(paid.values())),
        "rows": rows,
    }


def quarter_of(month):
    y, mm = month.split("-")
    return "%s-Q%d" % (y, (int(mm) - 1) // 3 + 1)


def compute(site_root, out):
    """Everything §10 adds, keyed like rankpress's files."""
    site = Site(site_root)
    rdir = os.path.join(out, "data", "rankings")
    names = sorted(f for f in os.listdir(rdir) if f.endswith(".json")) if os.path.isdir(rdir) else []
    months = []
    for f in names:
        with open(os.path.join(rdir, f), encoding="utf-8") as fh:
            months.append(Month(json.load(fh, parse_float=Decimal)))
    levels = {m.month: assign_levels(site, m) for m in months}
    res = {"rankings": {}, "annual": {}, "quarterly": {}, "payroll": {}, "ranks": {}}
    for idx, m in enumerate(months):
        res["rankings"][m.month] = {"rating": levels[m.month], "escalated": escalated(site, months, idx)}
        res["ranks"][m.month] = m.rank
        res["payroll"][m.month] = payroll(site, m, levels[m.month])
    for year in sorted({m.month[:4] for m in months}):
        ms = [m for m in months if m.month[:4] == year]
        rows = summarize(site, ms, levels)
        promo, demo = promotion_demotion(site, rows)
        res["annual"][year] = {"rows": rows, "promotion": promo, "demotion": demo}
    for qk in sorted({quarter_of(m.month) for m in months}):
        ms = [m for m in months if quarter_of(m.month) == qk]
        res["quarterly"][qk] = {"quarter": qk, "months": [m.month for m in ms], "rows": summarize(site, ms, levels)}
    return res


# --------------------------------------------------------------------------------------------
# Comparison with rankpress's files
# --------------------------------------------------------------------------------------------


def diff(path, want, got, out):
    """Appends to out a line per difference between want and got (numbers compared exactly)."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got), key=str):
            if k not in got:
                out.append("%s.%s: missing (want %s)" % (path, k, show(want[k])))
            elif k not in want:
                out.append("%s.%s: unexpected %s" % (path, k, show(got[k])))
            else:
                diff("%s.%s" % (path, k), want[k], got[k], out)
    elif isinstance(want, list) and isinstance(got, list):
        for k in range(max(len(want), len(got))):
            if k >= len(got):
                out.append("%s[%d]: missing (want %s)" % (path, k, show(want[k])))
            elif k >= len(want):
                out.append("%s[%d]: unexpected %s" % (path, k, show(got[k])))
            else:
                diff("%s[%d]" % (path, k), want[k], got[k], out)
    elif isinstance(want, bool) or isinstance(got, bool):
        if want is not got:
            out.append("%s: want %s, got %s" % (path, show(want), show(got)))
    elif isinstance(want, (int, Decimal)) and isinstance(got, (int, Decimal)):
        if Decimal(want) != Decimal(got):
            out.append("%s: want %s, got %s" % (path, show(want), show(got)))
    elif want != got or type(want) is not type(got):
        out.append("%s: want %s, got %s" % (path, show(want), show(got)))


def show(v):
    return json.dumps(v, ensure_ascii=False, default=str)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_float=Decimal)


def compare(site_root, out, payroll_dir=None):
    """The differences between rankpress's exports (and payroll files) and the reference."""
    res = compute(site_root, out)
    d = []
    for month, want in res["rankings"].items():
        got = load(os.path.join(out, "data", "rankings", month + ".json"))
        rows = {r["id"]: r for r in got["rows"]}
        for i, r in rows.items():
            if res["ranks"][month][i] != r["rank"]:
                d.append("rankings/%s.json %s rank: want %s, got %s (v1)" % (month, i, res["ranks"][month][i], r["rank"]))
        diff("rankings/%s.json rating" % month, want["rating"], {i: r.get("rating", "<absent>") for i, r in rows.items()}, d)
        csv_path = os.path.join(out, "data", "rankings", month + ".csv")
        if os.path.exists(csv_path):
            site = Site(site_root)
            names = {lv["id"]: lv["name"] for lv in site.levels or []}
            with open(csv_path, encoding="utf-8-sig", newline="") as f:
                table = list(csv.reader(f))
            col = {h: k for k, h in enumerate(table[0])}
            if table[0][-1] != "rating":
                d.append("rankings/%s.csv: last column is %r, want rating" % (month, table[0][-1]))
            else:
                got_names = {r[col["id"]]: r[-1] for r in table[1:]}
                want_names = {i: names.get(lv, "") if lv else "" for i, lv in want["rating"].items()}
                diff("rankings/%s.csv rating" % month, want_names, got_names, d)
        diff("rankings/%s.json escalated" % month, want["escalated"], got.get("escalated", "<absent>"), d)
    for year, want in res["annual"].items():
        got = load(os.path.join(out, "data", "annual", year + ".json"))
        diff("annual/%s.json rows" % year, want["rows"], got["rows"], d)
        diff("annual/%s.json promotion" % year, want["promotion"], got.get("promotion", "<absent>"), d)
        diff("annual/%s.json demotion" % year, want["demotion"], got.get("demotion", "<absent>"), d)
    qdir = os.path.join(out, "data", "quarterly")
    have = sorted(f[:-5] for f in os.listdir(qdir) if f.endswith(".json")) if os.path.isdir(qdir) else []
    if have != sorted(res["quarterly"]):
        d.append("quarterly/: want files %s, got %s" % (sorted(res["quarterly"]), have))
    for qk, want in res["quarterly"].items():
        p = os.path.join(qdir, qk + ".json")
        if os.path.exists(p):
            diff("quarterly/%s.json" % qk, want, load(p), d)
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
            diff("payroll/%s.json" % month, want, load(p), d)
    return d


def main(argv):
    if len(argv) >= 3 and argv[0] == "compare":
        d = compare(argv[1], argv[2], argv[3] if len(argv) > 3 else None)
        for line in d:
            print(line)
        return 1 if d else 0
    if len(argv) == 3 and argv[0] == "expected":
        print(json.dumps(compute(argv[1], argv[2]), ensure_ascii=False, indent=1, default=str))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
