#!/usr/bin/env python3
"""Differential test of rankpress's contract §10 against the reference (v2ref.py).

    v2check.py BIN WORKDIR FIRST_SEED COUNT [JOBS]

For each seed: v2gen.py writes a random site, `BIN build` and `BIN payroll --month all` run on
it, and v2ref.py compares every §10 key of the exports and payroll files. Prints the differences
per seed (with the site's folder to reproduce them) and exits 1 when there is any.
"""

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import v2gen  # noqa: E402
import v2ref  # noqa: E402


def build_and_pay(binary, root, has_pay):
    """Builds the site at `root` into root/out and writes every month's payroll into
    root/payroll with rankpress: (out, pay_dir, problems), where `out` is None when the build
    failed; a site without pay must make `payroll` exit 1."""
    out = os.path.join(root, "out")
    b = subprocess.run([binary, "build", "-r", root, "-o", out], capture_output=True, text=True)
    if b.returncode != 0:
        return None, None, ["build failed (exit %d): %s%s" % (b.returncode, b.stdout, b.stderr)]
    pay_dir = os.path.join(root, "payroll")
    p = subprocess.run([binary, "payroll", "--month", "all", "-r", root, "-o", pay_dir], capture_output=True, text=True)
    problems = []
    if has_pay and p.returncode != 0:
        problems.append("payroll failed (exit %d): %s%s" % (p.returncode, p.stdout, p.stderr))
    if not has_pay and p.returncode != 1:
        problems.append("payroll without pay: want exit 1, got %d" % p.returncode)
    return out, pay_dir, problems


def run_seed(binary, work, seed):
    root = os.path.join(work, "site-%d" % seed)
    shutil.rmtree(root, ignore_errors=True)
    has_pay = v2gen.gen(seed, root)
    out, pay_dir, diffs = build_and_pay(binary, root, has_pay)
    if out is None:
        return diffs
    diffs += v2ref.compare(root, out, pay_dir)
    return diffs


def main(argv):
    binary, work, first, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    jobs = int(argv[4]) if len(argv) > 4 else 2
    os.makedirs(work, exist_ok=True)
    seeds = list(range(first, first + count))
    with ThreadPoolExecutor(jobs) as ex:
        results = list(ex.map(lambda s: (s, run_seed(binary, work, s)), seeds))
    bad = 0
    for seed, diffs in results:
        if diffs:
            bad += 1
            print("seed %d (site %s):" % (seed, os.path.join(work, "site-%d" % seed)))
            for line in diffs[:30]:
                print("  " + line)
            if len(diffs) > 30:
                print("  … %d more" % (len(diffs) - 30))
    print("%d of %d sites differ" % (bad, len(seeds)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
