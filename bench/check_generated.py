#!/usr/bin/env python3
"""Check a site written by examples/gensite.rs against the rankpress data contract.

    python3 bench/check_generated.py SITE [--sample K] [--seed S]

SITE is the folder holding content/. This is an independent reading of
../shared/spec/data-format.md (version 1), not a second implementation of rankpress: it checks
the data rules (ids, keys, types, ranges, cross-references, who may be listed when) and a few
promises of the generator (nobody listed before joining; attendees on staff on the session's
date). It prints every problem found and a summary, and exits 1 if there was any problem.

With --sample K only K results files and K training sessions, chosen at random (seeded), are
read in full; every other file is always checked. Needs PyYAML (uses libyaml when available).
"""

import argparse
import datetime as dt
import random
import re
import sys
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
METHODS = {"ratio", "percent", "linear", "deduct", "training"}
# Keys each indicator method accepts (on top of id, name, group, method).
METHOD_KEYS = {
    "ratio": {"weight", "cap", "floor"},
    "percent": {"weight"},
    "linear": {"weight", "target", "per_unit_below", "per_unit_above", "min", "max"},
    "deduct": {"per_unit", "limit"},
    "training": {"weight"},
}
KINDS = {"pre_job", "routine", "promotion", "vocational"}


class Checker:
    """Collects problems as `file: message` lines."""

    def __init__(self, content: Path):
        self.content = content
        self.problems = []
        self.stats = {}

    def err(self, path, msg):
        self.problems.append(f"{Path(path).relative_to(self.content)}: {msg}")

    def load(self, path):
        with open(path, "rb") as f:
            data = f.read()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        return yaml.load(data.decode("utf-8"), Loader=Loader)

    # -- small type checks ------------------------------------------------------------------

    def keys(self, path, where, obj, required, optional=()):
        if not isinstance(obj, dict):
            self.err(path, f"{where}: expected a map, got {type(obj).__name__}")
            return False
        for k in required:
            if k not in obj:
                self.err(path, f"{where}: missing key {k}")
        for k in obj:
            if k not in required and k not in optional:
                self.err(path, f"{where}: unknown key {k}")
        return True

    def is_id(self, path, where, v):
        if not (isinstance(v, str) and ID.match(v)):
            self.err(path, f"{where}: invalid id {v!r}")
            return False
        return True

    def num(self, path, where, v, lo=None, hi=None, lo_open=False):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(path, f"{where}: expected a number, got {v!r}")
            return False
        if lo is not None and (v < lo or (lo_open and v == lo)):
            self.err(path, f"{where}: {v} is below the allowed range")
            return False
        if hi is not None and v > hi:
            self.err(path, f"{where}: {v} is above the allowed range")
            return False
        return True

    def text(self, path, where, v):
        if not isinstance(v, str) or not v:
            self.err(path, f"{where}: expected a non-empty string, got {v!r}")

    def date(self, path, where, v):
        if isinstance(v, dt.date):
            return v
        try:
            return dt.date.fromisoformat(v)
        except (TypeError, ValueError):
            self.err(path, f"{where}: expected a date YYYY-MM-DD, got {v!r}")
            return None

    def month(self, path, where, v):
        if not (isinstance(v, str) and MONTH.match(v)):
            self.err(path, f"{where}: expected a month YYYY-MM, got {v!r}")
            return None
        return v

    def unique(self, path, what, ids):
        seen = set()
        for i in ids:
            if i in seen:
                self.err(path, f"duplicate {what} id {i}")
            seen.add(i)
        return seen

    # -- files ------------------------------------------------------------------------------

    def site(self):
        path = self.content / "site.yaml"
        s = self.load(path)
        self.keys(path, "site", s, ["title", "indicators"],
                  ["organization", "language", "theme", "base_url", "awards", "watch",
                   "training", "suggestions", "annual"])
        if s.get("language", "zh-CN") not in ("zh-CN", "en"):
            self.err(path, f"language {s['language']!r}")
        self.indicators = {}
        for n, ind in enumerate(s.get("indicators") or []):
            where = f"indicators[{n}]"
            method = ind.get("method")
            if method not in METHODS:
                self.err(path, f"{where}: unknown method {method!r}")
                continue
            extra = METHOD_KEYS[method]
            req = ["id", "name", "method"] + (["weight"] if method != "deduct" else [])
            req += {"linear": ["target"], "deduct": ["per_unit"]}.get(method, [])
            self.keys(path, where, ind, req, extra | {"group"})
            self.is_id(path, where, ind.get("id"))
            if "weight" in ind:
                self.num(path, f"{where}.weight", ind["weight"], 0, lo_open=True)
            self.indicators[ind.get("id")] = method
        if not self.indicators:
            self.err(path, "no indicators")
        self.unique(path, "indicator", [i.get("id") for i in s.get("indicators") or []])
        awards = s.get("awards") or []
        for n, a in enumerate(awards):
            where = f"awards[{n}]"
            self.keys(path, where, a, ["id", "name", "indicator"], ["top", "min"])
            self.is_id(path, where, a.get("id"))
            ind = a.get("indicator")
            if ind != "total" and self.indicators.get(ind) in (None, "deduct"):
                self.err(path, f"{where}: indicator {ind!r} is unknown or a deduct indicator")
        self.unique(path, "award", [a.get("id") for a in awards])
        for key, sub in [("watch", {"bottom"}), ("training", {"pass_mark"}),
                         ("suggestions", {"bonus_per_adopted"}),
                         ("annual", {"excellence_top", "min_months"})]:
            if key in s:
                self.keys(path, key, s[key], [], sub)
        self.stats["indicator methods"] = sorted(set(self.indicators.values()))
        self.stats["awards on total"] = sum(a.get("indicator") == "total" for a in awards)

    def managers(self):
        path = self.content / "managers.yaml"
        d = self.load(path)
        self.keys(path, "managers.yaml", d, ["teams", "managers"])
        teams = d.get("teams") or []
        for n, t in enumerate(teams):
            self.keys(path, f"teams[{n}]", t, ["id", "name"])
            self.is_id(path, f"teams[{n}]", t.get("id"))
        team_ids = self.unique(path, "team", [t.get("id") for t in teams])
        self.roster = {}
        for n, m in enumerate(d.get("managers") or []):
            where = f"managers[{n}]"
            self.keys(path, where, m, ["id", "name", "team"], ["grade", "joined", "left", "email"])
            self.is_id(path, where, m.get("id"))
            self.text(path, f"{where}.name", m.get("name"))
            if m.get("team") not in team_ids:
                self.err(path, f"{where}: unknown team {m.get('team')!r}")
            joined = self.date(path, f"{where}.joined", m["joined"]) if "joined" in m else None
            left = self.date(path, f"{where}.left", m["left"]) if "left" in m else None
            if joined and left and left < joined:
                self.err(path, f"{where}: left before joining")
            self.roster[m.get("id")] = (joined, left)
        self.unique(path, "manager", [m.get("id") for m in d.get("managers") or []])
        self.stats["teams"] = len(teams)
        self.stats["managers"] = len(self.roster)

    def results(self, path):
        d = self.load(path)
        self.keys(path, "results file", d, ["month", "results"], ["note"])
        month = self.month(path, "month", d.get("month"))
        if month != path.stem:
            self.err(path, f"month {d.get('month')!r} does not match the file name")
        if not month:
            return
        y, m = map(int, month.split("-"))
        first = dt.date(y, m, 1)
        last = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        valued = [i for i, meth in self.indicators.items() if meth != "training"]
        trained = [i for i, meth in self.indicators.items() if meth == "training"]
        entries = d.get("results") or {}
        for mid, e in entries.items():
            if mid not in self.roster:
                self.err(path, f"{mid}: not in the roster")
                continue
            joined, left = self.roster[mid]
            if left and left < first:
                self.err(path, f"{mid}: left on {left}, before the month began")
            if joined and joined > last:
                self.err(path, f"{mid}: joined on {joined}, after the month")
            if not self.keys(path, mid, e, valued, ["bonus", "deductions", "veto"] + trained):
                continue
            for t in trained:
                if t in e:
                    self.err(path, f"{mid}: training indicator {t} takes no value here")
            for ind in valued:
                v, where = e.get(ind), f"{mid}.{ind}"
                meth = self.indicators[ind]
                if v is None:
                    continue
                if meth == "ratio":
                    if (self.keys(path, where, v, ["actual", "target"])
                            and self.num(path, f"{where}.actual", v.get("actual"), 0)
                            and self.num(path, f"{where}.target", v.get("target"), 0,
                                         lo_open=True)):
                        self.ratios.append(v["actual"] / v["target"])
                elif meth == "percent":
                    self.num(path, where, v, 0, 100)
                elif meth == "linear":
                    self.num(path, where, v)
                elif meth == "deduct":
                    if self.num(path, where, v, 0) and v > 0:
                        self.stats["complaint entries"] = self.stats.get("complaint entries", 0) + 1
            for key in ("bonus", "deductions"):
                for n, item in enumerate(e.get(key) or []):
                    w = f"{mid}.{key}[{n}]"
                    if self.keys(path, w, item, ["points"], ["reason"]):
                        self.num(path, f"{w}.points", item.get("points"), 0)
            if "veto" in e:
                self.text(path, f"{mid}.veto", e["veto"])
                self.stats["vetoes"] = self.stats.get("vetoes", 0) + 1
        self.stats["manager-months checked"] = self.stats.get("manager-months checked", 0) + len(entries)

    def session(self, path):
        d = self.load(path)
        self.keys(path, "session", d, ["id", "title", "date", "kind", "topic", "hours", "attendees"],
                  ["instructor", "plan"])
        self.is_id(path, "id", d.get("id"))
        self.session_ids.append(d.get("id"))
        date = self.date(path, "date", d.get("date"))
        if d.get("kind") not in KINDS:
            self.err(path, f"unknown kind {d.get('kind')!r}")
        self.num(path, "hours", d.get("hours"), 0, lo_open=True)
        if "plan" in d:
            self.plans_used.add(d["plan"])
            if d["plan"] not in self.plan_ids:
                self.err(path, f"plan {d['plan']!r} is not in training-plan.yaml")
        attendees = d.get("attendees") or {}
        for mid, a in attendees.items():
            if mid not in self.roster:
                self.err(path, f"attendee {mid} is not in the roster")
                continue
            joined, left = self.roster[mid]
            if date and ((joined and joined > date) or (left and left < date)):
                self.err(path, f"attendee {mid} was not on staff on {date}")
            if not self.keys(path, mid, a, ["present"], ["score", "excused", "reason"]):
                continue
            if a["present"] is True:
                if "excused" in a or "reason" in a:
                    self.err(path, f"{mid}: present but excused")
                if "score" in a:
                    self.num(path, f"{mid}.score", a["score"], 0, 100)
            elif a["present"] is False:
                if "score" in a:
                    self.err(path, f"{mid}: absent with a score")
            else:
                self.err(path, f"{mid}: present must be true or false")
        self.stats["attendee entries checked"] = (
            self.stats.get("attendee entries checked", 0) + len(attendees))

    def plan(self):
        path = self.content / "training-plan.yaml"
        self.plan_ids = set()
        if not path.exists():
            return
        d = self.load(path)
        self.keys(path, "training-plan.yaml", d, ["plans"])
        for n, p in enumerate(d.get("plans") or []):
            self.keys(path, f"plans[{n}]", p, ["id", "month", "title", "kind"])
            self.is_id(path, f"plans[{n}]", p.get("id"))
            self.month(path, f"plans[{n}].month", p.get("month"))
            if p.get("kind") not in KINDS:
                self.err(path, f"plans[{n}]: unknown kind {p.get('kind')!r}")
        self.plan_ids = self.unique(path, "plan", [p.get("id") for p in d.get("plans") or []])

    def competitions(self):
        ids = []
        for path in sorted((self.content / "competitions").glob("*.yaml")):
            d = self.load(path)
            self.keys(path, "competition", d, ["id", "name", "date", "results"])
            self.is_id(path, "id", d.get("id"))
            ids.append(d.get("id"))
            self.date(path, "date", d.get("date"))
            for n, r in enumerate(d.get("results") or []):
                self.keys(path, f"results[{n}]", r, ["manager"], ["place", "prize", "bonus"])
                if r.get("manager") not in self.roster:
                    self.err(path, f"results[{n}]: unknown manager {r.get('manager')!r}")
                if "bonus" in r:
                    self.num(path, f"results[{n}].bonus", r["bonus"], 0)
        self.unique(self.content / "competitions", "competition", ids)
        self.stats["competitions"] = len(ids)

    def innovations(self):
        path = self.content / "innovations.yaml"
        if not path.exists():
            return
        items = self.load(path).get("innovations") or []
        for n, i in enumerate(items):
            w = f"innovations[{n}]"
            self.keys(path, w, i, ["id", "title", "month", "managers"], ["grade", "bonus"])
            self.is_id(path, w, i.get("id"))
            self.month(path, f"{w}.month", i.get("month"))
            for mid in i.get("managers") or []:
                if mid not in self.roster:
                    self.err(path, f"{w}: unknown manager {mid!r}")
            if len(set(i.get("managers") or [])) != len(i.get("managers") or []):
                self.err(path, f"{w}: a manager is listed twice")
            if "bonus" in i:
                self.num(path, f"{w}.bonus", i["bonus"], 0)
        self.unique(path, "innovation", [i.get("id") for i in items])
        self.stats["innovations"] = len(items)

    def suggestions(self):
        path = self.content / "suggestions.yaml"
        if not path.exists():
            return
        items = self.load(path).get("suggestions") or []
        for n, s in enumerate(items):
            w = f"suggestions[{n}]"
            self.keys(path, w, s, ["manager", "month", "kind", "text"], ["adopted"])
            if s.get("manager") not in self.roster:
                self.err(path, f"{w}: unknown manager {s.get('manager')!r}")
            self.month(path, f"{w}.month", s.get("month"))
            if s.get("kind") not in ("supply", "allocation"):
                self.err(path, f"{w}: kind {s.get('kind')!r}")
            if not isinstance(s.get("adopted", False), bool):
                self.err(path, f"{w}: adopted must be true or false")
        self.stats["suggestions"] = len(items)

    def run(self, sample, seed):
        self.ratios = []
        self.session_ids = []
        self.plans_used = set()
        self.site()
        self.managers()
        self.plan()
        results = sorted((self.content / "results").glob("*.yaml"))
        sessions = sorted((self.content / "trainings").glob("**/*.yaml"))
        self.stats["results files"] = len(results)
        if results:
            start = dt.date.fromisoformat(results[0].stem + "-01")
            self.stats["joined during the period / left"] = (
                sum(1 for j, _ in self.roster.values() if j and j > start),
                sum(1 for _, l in self.roster.values() if l))
        self.stats["sessions"] = len(sessions)
        rng = random.Random(seed)
        if sample is not None:
            results = sorted(rng.sample(results, min(sample, len(results))))
            sessions = sorted(rng.sample(sessions, min(sample, len(sessions))))
        for p in results:
            self.results(p)
        for p in sessions:
            self.session(p)
        self.unique(self.content / "trainings", "session", self.session_ids)
        self.competitions()
        self.innovations()
        self.suggestions()
        if self.ratios:
            r = sorted(self.ratios)
            self.stats["ratio p1/median/p99"] = tuple(
                round(r[int(q * (len(r) - 1))], 3) for q in (0.01, 0.5, 0.99))
        if sample is None and self.plan_ids:
            self.stats["plans held / due"] = (len(self.plans_used), len(self.plan_ids))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="folder holding content/")
    ap.add_argument("--sample", type=int, help="read only K results files and K sessions")
    ap.add_argument("--seed", type=int, default=1, help="seed for --sample")
    args = ap.parse_args()
    c = Checker(args.site / "content")
    c.run(args.sample, args.seed)
    for k, v in c.stats.items():
        print(f"  {k}: {v}")
    for p in c.problems[:200]:
        print(f"PROBLEM {p}")
    if len(c.problems) > 200:
        print(f"... and {len(c.problems) - 200} more")
    print(f"{len(c.problems)} problem(s) in {args.site}")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())
