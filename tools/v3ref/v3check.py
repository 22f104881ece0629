#!/usr/bin/env python3
"""Differential test of rankpress's contract §11 against the reference (v3ref.py).

    v3check.py BIN WORKDIR FIRST_SEED COUNT [JOBS] [--v2-shapes]

For each seed: v3gen.py writes a random site, `BIN build` and `BIN payroll --month all` run on
it, and v3ref.py compares every §10 and §11 key of the exports and payroll files (rankings rows'
`rating`/`path`/`unit_ranks`, `awards` with `unit`, `watch`, `teams` with `unit`/`unit_rank`,
`units`, `escalated`, the CSV `rating` and `unit` columns, annual and quarterly rows, excellence,
promotion/demotion, payroll with `pools` and row `unit`). Prints the differences per seed (with
the site's folder to reproduce them) and "N of M sites differ"; exits 1 when any differ.

With `--v2-shapes` the sites have no units (version 2 shapes) and a §11 key absent from
rankpress's files is not a difference (v3ref.py's compare-v2 mode): today's rankpress must pass
that, which checks the reference's awards, watch lists, levels, excellence and pay against it.

A rankpress that does not implement version 3 refuses the sites' `units` / `scope` /
`pay.pools` keys: that shows as "build failed" for those seeds (and as missing §11 keys for the
sites without units), never as a crash of this script.
"""

import os
import shutil
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import v3gen  # noqa: E402
from v2check import build_and_pay  # noqa: E402  (v3gen has put tools/v2ref on the path)
import v3ref  # noqa: E402


def run_seed(binary, work, seed, v2_shapes=False):
    root = os.path.join(work, "site-%d" % seed)
    shutil.rmtree(root, ignore_errors=True)
    shape = v3gen.gen(seed, root, units=not v2_shapes)
    has_pay = shape["pay"] is not None
    out, pay_dir, diffs = build_and_pay(binary, root, has_pay)
    if out is None:
        return diffs
    try:
        diffs += v3ref.compare(root, out, pay_dir, lenient=v2_shapes)
    except Exception:  # noqa: BLE001 (an export the reference cannot read is a difference)
        diffs.append("the reference could not compare rankpress's files:\n" + traceback.format_exc())
    return diffs


def main(argv):
    v2_shapes = "--v2-shapes" in argv
    argv = [a for a in argv if a != "--v2-shapes"]
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    binary, work, first, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    jobs = int(argv[4]) if len(argv) > 4 else 2
    os.makedirs(work, exist_ok=True)
    seeds = list(range(first, first + count))
    with ThreadPoolExecutor(jobs) as ex:
        results = list(ex.map(lambda s: (s, run_seed(binary, work, s, v2_shapes)), seeds))
    bad = 0
    for seed, diffs in results:
        if diffs:
            bad += 1
            print("seed %d (site %s):" % (seed, os.path.join(work, "site-%d" % seed)))
            for line in diffs[:30]:
                print("  " + line.rstrip().replace("\n", "\n  "))
            if len(diffs) > 30:
                print("  … %d more" % (len(diffs) - 30))
    print("%d of %d sites differ" % (bad, len(seeds)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
