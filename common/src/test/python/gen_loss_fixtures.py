#!/usr/bin/python3
"""Writes the PyTorch golden data that SingleInputLossGoldenTest checks sparktrain's single-input losses
(dev.sparktrain.loss: loss(input, target)) against.

Run from anywhere with the PyTorch the fixture was made with (1.13):
    /usr/bin/python3 common/src/test/python/gen_loss_fixtures.py
It overwrites common/src/test/resources/fixtures/losses_single.json (deterministic: a rerun writes the
same file). Everything is float64. The JSON holds "cases", each with:
  - "name", "loss" (torch.nn class name), "args" (constructor keyword arguments, PyTorch's spelling;
    tensors such as weight / pos_weight as nested lists);
  - "input", "target": {"shape": [...], "data": [row-major values]} (targets of class indices as floats);
  - "value": {"shape", "data"}: the loss module's output;
  - "grad": the input gradient, row-major: loss.sum().backward() for reduction none, loss.backward()
    otherwise.
"""
import json
import math
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "losses_single.json"
N, C = 4, 3
REDUCTIONS = ["none", "mean", "sum"]
torch.set_default_dtype(torch.float64)

CASES = []


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


def randn(seed, *shape):
    return torch.randn(*shape, generator=gen(seed), dtype=torch.float64)


def rand(seed, *shape):
    return torch.rand(*shape, generator=gen(seed), dtype=torch.float64)


def randint(seed, high, *shape):
    return torch.randint(0, high, shape, generator=gen(seed)).to(torch.float64)


def add(name, cls, args, x, target, tensor_args=()):
    """One case; args holds plain kwargs, tensor args are passed as tensors and stored as lists."""
    kwargs = dict(args)
    for k in tensor_args:
        kwargs[k] = torch.tensor(args[k], dtype=torch.float64)
    module = getattr(torch.nn, cls)(**kwargs)
    x = x.clone().detach().requires_grad_(True)
    t = target.clone().detach()
    torch_target = t.long() if cls in ("NLLLoss", "MultiLabelMarginLoss", "MultiMarginLoss") or (
        cls == "CrossEntropyLoss" and t.shape != x.shape) else t
    value = module(x, torch_target)
    (value.sum() if args.get("reduction") == "none" else value).backward()
    CASES.append({
        "name": name,
        "loss": cls,
        "args": args,
        "input": tensor_json(x.detach()),
        "target": tensor_json(t),
        "value": tensor_json(value.detach()),
        "grad": flat(x.grad),
    })


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def tensor_json(t):
    return {"shape": list(t.shape), "data": flat(t)}


def build():
    for r in REDUCTIONS:
        x, y = randn(1, N, C), randn(2, N, C)
        add(f"mse_{r}", "MSELoss", dict(reduction=r), x, y)
        add(f"l1_{r}", "L1Loss", dict(reduction=r), x, y)
        add(f"smooth_l1_{r}", "SmoothL1Loss", dict(reduction=r), x, y)
        add(f"smooth_l1_beta0.5_{r}", "SmoothL1Loss", dict(reduction=r, beta=0.5), x, y)
        add(f"smooth_l1_beta0_{r}", "SmoothL1Loss", dict(reduction=r, beta=0.0), x, y)

        # classification
        logits, idx = randn(3, N, C), randint(4, C, N)
        w = [0.2, 1.0, 2.5]
        add(f"ce_{r}", "CrossEntropyLoss", dict(reduction=r), logits, idx)
        add(f"ce_weight_{r}", "CrossEntropyLoss", dict(reduction=r, weight=w), logits, idx, ("weight",))
        ign = idx.clone()
        ign[1] = 1.0
        ign[2] = 1.0
        add(f"ce_ignore_index_{r}", "CrossEntropyLoss", dict(reduction=r, ignore_index=1), logits, ign)
        ign2 = idx.clone()
        ign2[0] = -100.0
        add(f"ce_ignore_default_weight_{r}", "CrossEntropyLoss", dict(reduction=r, weight=w), logits, ign2,
            ("weight",))
        add(f"ce_label_smoothing_{r}", "CrossEntropyLoss", dict(reduction=r, label_smoothing=0.1), logits, idx)
        add(f"ce_label_smoothing_weight_ignore_{r}", "CrossEntropyLoss",
            dict(reduction=r, weight=w, ignore_index=2, label_smoothing=0.2), logits, idx, ("weight",))
        probs = torch.softmax(randn(5, N, C), dim=1)
        add(f"ce_probs_{r}", "CrossEntropyLoss", dict(reduction=r), logits, probs)
        add(f"ce_probs_weight_smoothing_{r}", "CrossEntropyLoss", dict(reduction=r, weight=w, label_smoothing=0.3),
            logits, probs, ("weight",))
        spatial, sidx = randn(6, N, C, 2), randint(7, C, N, 2)
        add(f"ce_spatial_{r}", "CrossEntropyLoss", dict(reduction=r, weight=w), spatial, sidx, ("weight",))
        add(f"ce_unbatched_{r}", "CrossEntropyLoss", dict(reduction=r), randn(8, C), torch.tensor(2.0))

        logp = torch.log_softmax(randn(9, N, C), dim=1)
        add(f"nll_{r}", "NLLLoss", dict(reduction=r), logp, idx)
        add(f"nll_weight_{r}", "NLLLoss", dict(reduction=r, weight=w), logp, idx, ("weight",))
        add(f"nll_weight_ignore_{r}", "NLLLoss", dict(reduction=r, weight=w, ignore_index=0), logp, idx, ("weight",))
        add(f"nll_spatial_{r}", "NLLLoss", dict(reduction=r), torch.log_softmax(spatial, dim=1), sidx)

        p, q = torch.sigmoid(randn(10, N, C)), rand(11, N, C)
        add(f"bce_{r}", "BCELoss", dict(reduction=r), p, q)
        add(f"bce_weight_{r}", "BCELoss", dict(reduction=r, weight=[[0.5, 1.0, 2.0]]), p, q, ("weight",))
        add(f"bce_edges_{r}", "BCELoss", dict(reduction=r), torch.tensor([0.0, 1.0, 0.5, 1e-3]),
            torch.tensor([0.0, 1.0, 1.0, 0.0]))
        z, b = 2 * randn(12, N, C), (rand(13, N, C) > 0.5).double()
        add(f"bce_logits_{r}", "BCEWithLogitsLoss", dict(reduction=r), z, b)
        add(f"bce_logits_soft_target_{r}", "BCEWithLogitsLoss", dict(reduction=r), z, q)
        add(f"bce_logits_weight_pos_weight_{r}", "BCEWithLogitsLoss",
            dict(reduction=r, weight=[[0.5, 1.0, 2.0]], pos_weight=[3.0, 0.5, 1.0]), z, q, ("weight", "pos_weight"))

    for r in REDUCTIONS + ["batchmean"]:
        logp = torch.log_softmax(randn(14, N, C), dim=1)
        tp = torch.softmax(randn(15, N, C), dim=1)
        tp[0, 1] = 0.0
        add(f"kldiv_{r}", "KLDivLoss", dict(reduction=r), logp, tp)
        add(f"kldiv_log_target_{r}", "KLDivLoss", dict(reduction=r, log_target=True), logp,
            torch.log_softmax(randn(15, N, C), dim=1))
    # the tutorial's example: input given as log-probabilities
    add("kldiv_tutorial_batchmean", "KLDivLoss", dict(reduction="batchmean"),
        torch.log(torch.tensor([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])),
        torch.tensor([[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]]))

    for r in REDUCTIONS:
        counts = randint(16, 5, N, C)
        add(f"poisson_{r}", "PoissonNLLLoss", dict(reduction=r), randn(17, N, C), counts)
        add(f"poisson_full_{r}", "PoissonNLLLoss", dict(reduction=r, full=True), randn(17, N, C), counts)
        rates = rand(18, N, C) * 3
        rates[0, 0] = 0.0
        add(f"poisson_rates_{r}", "PoissonNLLLoss", dict(reduction=r, log_input=False), rates, counts)
        add(f"poisson_rates_full_eps_{r}", "PoissonNLLLoss", dict(reduction=r, log_input=False, full=True, eps=1e-3),
            rates, counts)

        pm = torch.where(rand(19, N, C) > 0.5, 1.0, -1.0)
        add(f"soft_margin_{r}", "SoftMarginLoss", dict(reduction=r), randn(20, N, C), pm)

        add(f"hinge_embedding_{r}", "HingeEmbeddingLoss", dict(reduction=r), randn(21, N, C), pm)
        add(f"hinge_embedding_margin2_{r}", "HingeEmbeddingLoss", dict(reduction=r, margin=2.0), randn(21, N, C), pm)

        ml_t = torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1], [0, -1, 2, 2], [-1, 1, 0, 3]], dtype=torch.float64)
        add(f"multilabel_margin_{r}", "MultiLabelMarginLoss", dict(reduction=r), randn(22, N, 4), ml_t)
        add(f"multilabel_margin_unbatched_{r}", "MultiLabelMarginLoss", dict(reduction=r), randn(23, 4),
            torch.tensor([2.0, 1.0, -1.0, 0.0]))

        mm_x, mm_t = randn(24, N, C) * 0.8, randint(25, C, N)
        add(f"multi_margin_{r}", "MultiMarginLoss", dict(reduction=r), mm_x, mm_t)
        add(f"multi_margin_p2_weight_{r}", "MultiMarginLoss", dict(reduction=r, p=2, weight=w), mm_x, mm_t,
            ("weight",))
        add(f"multi_margin_margin0.5_{r}", "MultiMarginLoss", dict(reduction=r, margin=0.5), mm_x, mm_t)
        add(f"multi_margin_unbatched_{r}", "MultiMarginLoss", dict(reduction=r), randn(26, C), torch.tensor(1.0))
    # the tutorial's example (0.45), and PyTorch's documented one (input 0.1 instead of 0.9: 0.85)
    add("multilabel_margin_docs", "MultiLabelMarginLoss", dict(reduction="mean"),
        torch.tensor([[0.1, 0.2, 0.4, 0.8]]), torch.tensor([[3.0, 0.0, -1.0, 1.0]]))
    add("multilabel_margin_tutorial", "MultiLabelMarginLoss", dict(reduction="mean"),
        torch.tensor([[0.9, 0.2, 0.4, 0.8]]), torch.tensor([[3.0, 0.0, -1.0, 1.0]]))


def main():
    build()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    for c in CASES:
        for v in c["value"]["data"] + c["grad"]:
            assert math.isfinite(v), c["name"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"torch_version": torch.__version__, "dtype": "float64", "cases": CASES},
                      separators=(",", ":"))
    OUT.write_text(text + "\n")
    print(f"wrote {len(CASES)} cases, {len(text)} bytes to {OUT}")


if __name__ == "__main__":
    main()
