#!/usr/bin/env python3
"""The per-round cost model of scripts/bench-rounds.sh, fitted to its rounds.csv and extrapolated.

Measured on one machine with S = 2 task slots, a round with compute removed is modelled as
  one Spark job per round (broadcast + treeAggregate):
    T = a + b * P/S + g * 4n * P/S + h * 4n                                           [ms]
  resident tasks (star: every task's request and result through the driver):
    T = a + g * 8n * P
with P tasks and n float32 parameters. a: fixed cost of a round (job submission and stage set-up,
or the driver loop's wake-ups); b: one wave of S tasks (scheduling, launch, status); g: one byte of
a task's request or result (serialize, copy, ship, deserialize, merge), its waves sharing the S
cores; h: one byte of the round's own driver work (the broadcast, the last merge). Fitted by least
squares on relative error (each point weighted by 1/T).

Extrapolated to E executors (one task slot each, P = E) on a network of W Gbit/s:
  jobs:     the tasks' own work runs in parallel (one wave); treeAggregate of depth 2 (3 above 16
            tasks) merges on f = ceil(P^(1/depth)) executors, each receiving P/f results, and the
            driver receives the f partial sums; the broadcast leaves the driver about once:
            T = a + b + g*4n + (P/f + f) * 4n * (g + 1/W) + h*4n + 4n/W
  resident: the driver sends P requests and reads P results: T = a + 8nP * (g + 1/W)
The scheduling term b is shown two ways, which these measurements cannot separate: all parallel
(b once) or all serial at the driver (b * P / S): the first figure / the second.
Compute per step for an MLP of n parameters at per-worker batch m: 6 n m / F (forward 2nm, backward
4nm FLOP) at F = the measured one-thread GEMM speed; for LeNet (whose convolutions reuse each weight
many times) the step time is given on the command line, as StepProfile measured it. Synchronous efficiency C / (C + T); averaging
with k steps a round: k C / (k C + T_avg), T_avg at 3n (Adam's parameters and two moments each way).
"""
import csv
import math
import sys

SLOTS = 2


def features(transport, p, n):
    if transport == "jobs":
        return [1.0, p / SLOTS, 4.0 * n * p / SLOTS, 4.0 * n]
    return [1.0, 8.0 * n * p]


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


def main(path, lenet_step_ms=(), executors=256, gbits=10.0):
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
    print(f"Fitted per-round cost (ms; S = {SLOTS} task slots), measured medians against the fit:")
    for (where, transport), pts in sorted(points.items()):
        # relative least squares: divide each row and its target by the measured time
        coef = solve([[x / t for x in features(transport, p, n)] for p, n, t in pts], [1.0 for _ in pts])
        models[(where, transport)] = coef
        fit = lambda p, n: sum(c * x for c, x in zip(coef, features(transport, p, n)))
        worst = max(abs(fit(p, n) - t) / t for p, n, t in pts)
        names = ["a", "b", "g", "h"] if transport == "jobs" else ["a", "g"]
        terms = "  ".join(f"{k} = {v * 1e6:.3f} ms/MB" if k in "gh" else f"{k} = {v:.2f} ms"
                          for k, v in zip(names, coef))
        print(f"  {where:10} {transport:8}  {terms}   ({len(pts)} points, worst misfit {worst:.0%})")
        for p, n, t in sorted(pts):
            print(f"      P = {p:3d}  n = {n:>10,}  measured {t:9.2f}  fitted {fit(p, n):9.2f}")
    if gemm is None:
        return
    wb = gbits / 8 * 1e9 / 1e3  # bytes per ms

    def t_round(transport, coef, p, n, serial):
        if transport == "jobs":
            a, b, g, h = coef
            depth = 3 if p > 16 else 2
            f = math.ceil(p ** (1.0 / depth) - 1e-9)
            return (a + (b * p / SLOTS if serial else b) + g * 4 * n + (p / f + f) * 4 * n * (g + 1 / wb)
                    + h * 4 * n + 4 * n / wb)
        a, g = coef
        return a + 8 * n * p * (g + 1 / wb)

    print(f"\nExtrapolated to {executors} executors (1 task each) on {gbits:g} Gbit/s, compute at the measured "
          f"{gemm:.1f} GFLOP/s per task (the last rows: LeNet's measured step); each figure with the scheduling "
          f"all parallel / all serial at the driver:")
    cases = [(n, m, 6.0 * n * m / (gemm * 1e9) * 1e3) for n in (44426, 420000, 4000000, 40000000) for m in (64, 256)]
    cases += [(44426, 64, step) for step in lenet_step_ms]  # LeNet: its convolutions, measured (StepProfile)
    print(f"  {'params':>6} {'batch':>5} {'step ms':>8}  {'transport':9} {'round ms, P=256':>17} "
          f"{'sync eff P=16':>13} {'sync eff P=256':>14} {'k=8 eff P=16':>13} {'k=8 eff P=256':>13}")
    for n, m, c in cases:
        for transport in ("jobs", "resident"):
            key = ("standalone", transport) if ("standalone", transport) in models else ("local", transport)
            if key not in models:
                continue
            coef = models[key]

            def eff(p, k):
                t = [t_round(transport, coef, p, n if k == 1 else 3 * n, s) for s in (False, True)]
                return "/".join(f"{k * c / (k * c + x):.0%}" for x in t)

            t = [t_round(transport, coef, executors, n, s) for s in (False, True)]
            print(f"  {n / 1e6:5.2f}M {m:5d} {c:8.1f}  {transport:9} {t[0]:8.0f}/{t[1]:<8.0f} "
                  f"{eff(16, 1):>13} {eff(executors, 1):>14} {eff(16, 8):>13} {eff(executors, 8):>13}")

if __name__ == "__main__":
    # costmodel.py ROUNDS_CSV [LENET_STEP_MS...]: extra rows for LeNet at batch 64 with a measured step time
    main(sys.argv[1], [float(x) for x in sys.argv[2:]])
