#!/usr/bin/env python3
"""Whole-process start-up of closecert against the floor (a process that only loads FLINT and GMP).
Runs the commands in turn (A B A B ...) and reports the median ratio per pair, robust to a machine
whose speed drifts. usage: startup.py CLOSECERT FLOOR PATTERN_DIR [RUNS]"""
import statistics, subprocess, sys, time

cc, floor, pat = sys.argv[1], sys.argv[2], sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 40


def once(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


cases = {"--version": [cc, "--version"], "check lu2": [cc, "check", pat + "/lu2.json"],
         "check lu2 --linear": [cc, "check", pat + "/lu2.json", "--linear"]}
for name, cmd in cases.items():
    for _ in range(3):
        once(cmd), once([floor])
    ratios, a, b = [], [], []
    for _ in range(runs):
        ta, tb = once(cmd), once([floor])
        a.append(ta), b.append(tb), ratios.append(ta / tb)
    print(f"startup {name}: median {statistics.median(a) * 1e3:.1f} ms, floor {statistics.median(b) * 1e3:.1f} ms, "
          f"median ratio {statistics.median(ratios):.2f} (target <= 1.5), {runs} pairs")
