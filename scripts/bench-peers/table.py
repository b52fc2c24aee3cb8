#!/usr/bin/env python3
"""The table of scripts/bench-peers.sh, from its run list (runs.tsv) and each run's output.

PyTorch and PATM runs print `RESULT peer=... epoch=N samples_per_s=... [test_acc=...]` lines (their .log);
sparktrain runs write metrics.jsonl (train_examples / train_seconds of the last epoch, val_accuracy: the
val split of conf/fashion-mnist-lenet.conf is the 10,000-image test set).
"""
import argparse
import json
import os


def from_log(path, first):
    """(samples/s over epochs first.., test accuracy) from RESULT lines, or None when there is no log."""
    if not os.path.exists(path):
        return None
    results = []
    for line in open(path):
        if line.startswith("RESULT "):
            results.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    if not results:
        raise SystemExit(f"{path}: no RESULT line")
    timed = [r for r in results if int(r["epoch"]) >= first] or results[-1:]
    examples = sum(float(r["samples_per_s"]) * float(r["train_s"]) for r in timed)
    seconds = sum(float(r["train_s"]) for r in timed)
    last = results[-1]
    return examples / seconds, float(last["test_acc"]) if "test_acc" in last else None


def from_metrics(path, first):
    lines = [json.loads(l) for l in open(path)]
    timed = [m for m in lines if m["epoch"] >= first] or lines[-1:]
    return (sum(m["train_examples"] for m in timed) / sum(m["train_seconds"] for m in timed),
            lines[-1]["val_accuracy"])


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--epochs", type=int, required=True)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--started", default="")
    p.add_argument("--load", default="")
    p.add_argument("--cpu", default="")
    p.add_argument("--cores", default="")
    a = p.parse_args()

    first = 2 if a.epochs > 1 else 1  # epoch 1 holds JIT warm-up (and PATM's export)
    rows = []
    for line in open(os.path.join(a.out, "runs.tsv")):
        name, group, source, workers, batch, k, label = line.rstrip("\n").split("\t")
        workers, batch = int(workers), int(batch)
        if source == "log":
            result = from_log(os.path.join(a.out, name + ".log"), first)
        else:
            result = from_metrics(os.path.join(a.out, name, "runs", "bench", "metrics.jsonl"), first)
        rows.append(dict(name=name, group=group, workers=workers, batch=batch, k=k, label=label,
                         globalb=workers * batch, sps=result[0] if result else None,
                         acc=result[1] if result else None))

    torch_at = {r["globalb"]: r["sps"] for r in rows if r["group"] == "pytorch" and r["sps"]}
    local_at = {r["globalb"]: r["sps"] for r in rows if r["name"].startswith("st-local") and r["sps"]}
    patm_at = {(r["name"].split("-")[1], r["workers"], r["batch"]): r["sps"] for r in rows if r["group"] == "patm"}

    data = f"first {a.limit:,} training examples" if a.limit else "60,000 training examples"
    print(f"LeNet-5, Fashion-MNIST ({data}, test on 10,000), Adam lr 0.001, {a.epochs} epoch(s)")
    print(f"{a.cpu}, {a.cores} cores; {a.started}; load average at start {a.load}")
    if a.limit:
        print("QUICK RUN: a smoke test of the script, not a benchmark")
    timed = f"epochs 2-{a.epochs}" if a.epochs > 2 else f"epoch {a.epochs}"
    print(f"samples/s: {timed} (their examples over their training seconds); vs PyTorch, vs --local: same global batch; vs PATM: DL4J's ParameterAveragingTrainingMaster "
          f"(k=5) at the same workers x batch, as shipped / with the oneDNN repair")
    header = (f"{'run':34} {'name':18} {'workers x b':>11} {'global':>6} {'k':>3} {'samples/s':>10} {'vs PyTorch':>10} "
              f"{'vs local':>8} {'vs PATM':>8} {'vs PATM+fix':>11} {'test_acc':>8}")
    print(header)
    print("-" * len(header))
    for r in rows:
        if r["sps"] is None:
            print(f"{r['label']:34} {r['name']:18} {'skipped (no torch)':>40}")
            continue
        on_spark = r["group"] != "pytorch" and r["workers"] > 1
        shipped = patm_at.get(("shipped", r["workers"], r["batch"])) if on_spark else None
        repaired = patm_at.get(("repaired", r["workers"], r["batch"])) if on_spark else None
        if r["name"].startswith("patm-shipped"):
            shipped = None
        if r["name"].startswith("patm-repaired"):
            repaired = None
        acc = f"{r['acc']:.4f}" if r["acc"] is not None else "-"
        print(f"{r['label']:34} {r['name']:18} {str(r['workers']) + ' x ' + str(r['batch']):>11} {r['globalb']:>6} {r['k']:>3} "
              f"{r['sps']:10,.0f} {ratio(r['sps'], torch_at.get(r['globalb'])):>10} "
              f"{ratio(r['sps'], local_at.get(r['globalb'])) if r['group'] == 'sparktrain' else '-':>8} "
              f"{ratio(r['sps'], shipped):>8} "
              f"{ratio(r['sps'], repaired):>11} {acc:>8}")


if __name__ == "__main__":
    main()
