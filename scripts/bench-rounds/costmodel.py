#!/usr/bin/env python3
"""The per-round cost model of scripts/bench-rounds.sh, fitted to its rounds.csv and extrapolated.

A round's coordination cost (compute removed) is modelled as
    T(P, n) = a + b * P / S + g * B(P, n)                               [ms]
with P tasks on S task slots (S = 2 here: tasks beyond 2 run in waves), n float32 parameters and B
the bytes that pass through the driver in one round:
    jobs:      B = 4n * (1 + f),  f = ceil(P ** (1 / depth)) partial sums of treeAggregate
               (depth 2, 3 above 16 tasks) and the broadcast leaving the driver about once
    resident:  B = 8n * P          (the request to every task, every task's result back)
a: fixed cost per round (job submission, stage set-up, or one wake-up of the driver loop);
b: cost of a wave of tasks (scheduling, launch, the task's own run, its status and result);
g: cost per byte through the driver (serialization, copies, merging). Fitted by least squares per
(cluster, transport) on the measured medians; with resident rounds measured at one task count only,
b is fixed at 0 (their per-task work is in B).

Extrapolation to E executors (1 task each) on a network of W Gbit/s: the fitted terms (measured on
one machine, where the loopback costs nothing) plus the driver's link, B / (W / 8). Two bounds for
the per-task term, which these measurements cannot split between the driver (serial) and the
executors (parallel): all in parallel (b once, P = S) and all serial at the driver (b * P / S).
Compute per step for an MLP of n parameters at per-worker batch m: 6 n m / F seconds (forward 2nm,
backward 4nm FLOP) at F = the measured one-thread GEMM speed. Synchronous efficiency
C / (C + T); averaging with k steps per round: k C / (k C + T_avg), with T_avg at 3n (Adam's
parameters and two moments each way).
"""
import csv
import math
import sys


def driver_bytes(transport, p, n):
    if transport == "jobs":
        depth = 3 if p > 16 else 2
        return 4.0 * n * (1 + math.ceil(p ** (1.0 / depth) - 1e-9))
    return 8.0 * n * p


def solve(a, y):
    """Least squares by the normal equations (tiny systems; no numpy needed)."""
    k = len(a[0])
    m = [[sum(r[i] * r[j] for r in a) for j in range(k)] + [sum(r[i] * v for r, v in zip(a, y))] for i in range(k)]
    for c in range(k):
        piv = max(range(c, k), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(k):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * z for x, z in zip(m[r], m[c])]
    return [m[i][k] / m[i][i] if m[i][i] else 0.0 for i in range(k)]


SLOTS = 2


def main(path, executors=256, gbits=10.0):
    rows = list(csv.DictReader(open(path)))
    gemm = None
    points = {}
    for r in rows:
        if r["transport"] == "gemm":
            gemm = float(r["tasks"].split()[0])
            continue
        points.setdefault((r["where"], r["transport"]), []).append(
            (int(r["tasks"]), int(r["params"]), float(r["median_ms"])))
    models = {}
    print(f"Fitted per-round cost, T = a + b P/S + g B (ms, S = {SLOTS} slots), measured medians against the fit:")
    for (where, transport), pts in sorted(points.items()):
        tasks = {p for p, _, _ in pts}
        if len(tasks) > 1:
            a, b, g = solve([[1.0, p / SLOTS, driver_bytes(transport, p, n)] for p, n, _ in pts],
                            [t for _, _, t in pts])
        else:
            a, g = solve([[1.0, driver_bytes(transport, p, n)] for p, n, _ in pts], [t for _, _, t in pts])
            b = 0.0
        models[(where, transport)] = (a, b, g)
        worst = max(abs(a + b * p / SLOTS + g * driver_bytes(transport, p, n) - t) / t for p, n, t in pts)
        print(f"  {where:10} {transport:8}  a = {a:7.2f} ms  b = {b:6.3f} ms/wave  g = {g * 1e6:6.3f} ms/MB"
              f"   ({len(pts)} points, worst misfit {worst:.0%})")
        for p, n, t in sorted(pts):
            fit = a + b * p / SLOTS + g * driver_bytes(transport, p, n)
            print(f"      P = {p:3d}  n = {n:>10,}  measured {t:9.2f} ms  fitted {fit:9.2f} ms")
    if gemm is None:
        return
    bw = gbits / 8 * 1e9  # bytes/s
    print(f"\nExtrapolated to {executors} executors (1 task each) on {gbits:g} Gbit/s, compute at the measured "
          f"{gemm:.1f} GFLOP/s per task; each figure as parallel-tasks bound / driver-serial bound:")
    print(f"  {'params':>6} {'batch':>5} {'step ms':>8}  {'transport':9} {'round ms':>17} {'sync eff':>11} "
          f"{'avg k=8 eff':>11} {'P at sync eff 50%':>19}")
    for n in (44426, 420000, 4000000, 40000000):
        for m in (64, 256):
            c = 6.0 * n * m / (gemm * 1e9) * 1e3
            for transport in ("jobs", "resident"):
                key = ("standalone", transport) if ("standalone", transport) in models else ("local", transport)
                if key not in models:
                    continue
                a, b, g = models[key]

                def t_round(p, n_eff, serial):
                    byt = driver_bytes(transport, p, n_eff)
                    return a + b * (p / SLOTS if serial else 1) + g * byt + byt / bw * 1e3

                def half(serial):
                    p = next((p for p in range(2, 100001) if c / (c + t_round(p, n, serial)) < 0.5), None)
                    return str(p) if p else ">100k"

                t = [t_round(executors, n, s) for s in (False, True)]
                ta = [t_round(executors, 3 * n, s) for s in (False, True)]
                sync = [c / (c + x) for x in t]
                avg = [8 * c / (8 * c + x) for x in ta]
                print(f"  {n / 1e6:5.2f}M {m:5d} {c:8.1f}  {transport:9} {t[0]:8.0f}/{t[1]:<8.0f} "
                      f"{sync[0]:5.0%}/{sync[1]:<5.0%} {avg[0]:5.0%}/{avg[1]:<5.0%} {half(False):>9}/{half(True):<9}")

if __name__ == "__main__":
    main(sys.argv[1])
