#!/usr/bin/env python3
"""What creating a site's folders and files costs the kernel on this machine, and how much more
it costs right after a tree of the same size was deleted (issue 13, bench/NOTES.md §14).

    python3 bench/inodes.py [DIR] [--pages N] [--bytes B]

Creates N folders with one B-byte `index.html` each (default: 5,000 × 51,000 bytes, the shape of
the province's manager pages) under a temporary folder in DIR (default: the system's temporary
folder), four times, and prints the process CPU time (user + system) of each:

1. `first`: a tree, after whatever happened on the machine before;
2. `second, nothing deleted`: a second tree beside the first;
3. `after deleting 2 trees`: a third tree right after deleting the first two;
4. `after deleting, 30 s later`: a fourth tree, 30 s after deleting the third.

Every benchmarked program (rankpress, the floor, Hugo) writes its output right after the
previous one's output was deleted, as `bench/peer.sh` runs them; on a filesystem where that makes
new inodes expensive, the cost of writing ~10,000 files is a floor under every build time.
"""
import os
import shutil
import sys
import tempfile
import time


def tree(root, pages, data):
    """Creates root/mNNNNN/index.html for each page; returns the CPU seconds it took."""
    os.mkdir(root)
    t = time.process_time()
    for i in range(pages):
        d = os.path.join(root, "m%05d" % i)
        os.mkdir(d)
        with open(os.path.join(d, "index.html"), "wb") as f:
            f.write(data)
    return time.process_time() - t


def main():
    args = sys.argv[1:]
    pages, size, where = 5000, 51000, None
    while args:
        a = args.pop(0)
        if a == "--pages":
            pages = int(args.pop(0))
        elif a == "--bytes":
            size = int(args.pop(0))
        elif a.startswith("-"):
            sys.exit(__doc__)
        else:
            where = a
    data = b"x" * size
    base = tempfile.mkdtemp(prefix="rankpress-inodes.", dir=where)
    try:
        t = lambda name: os.path.join(base, name)
        rows = [("first", tree(t("a"), pages, data))]
        rows.append(("second, nothing deleted", tree(t("b"), pages, data)))
        shutil.rmtree(t("a"))
        shutil.rmtree(t("b"))
        rows.append(("after deleting 2 trees", tree(t("c"), pages, data)))
        shutil.rmtree(t("c"))
        time.sleep(30)
        rows.append(("after deleting, 30 s later", tree(t("d"), pages, data)))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"| {pages} folders + files of {size} bytes | CPU s |")
    print("|---|---:|")
    for name, s in rows:
        print(f"| {name} | {s:.2f} |")


if __name__ == "__main__":
    main()
