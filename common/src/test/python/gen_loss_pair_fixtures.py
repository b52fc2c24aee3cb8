#!/usr/bin/python3
"""Writes the PyTorch golden data that PairLossGoldenTest checks sparktrain's multi-input losses
(dev.sparktrain.loss.{MarginRankingLoss, CosineEmbeddingLoss, TripletMarginLoss, CTCLoss}) against.

Run from anywhere with the PyTorch the fixture was made with (1.13, CPU):
    /usr/bin/python3 common/src/test/python/gen_loss_pair_fixtures.py
It overwrites common/src/test/resources/fixtures/losses_pair.json. Everything is float64, drawn from
torch.Generator seed 0. Per case the JSON holds:
  - "name", "loss" (PyTorch's class name), "args" (constructor arguments, PyTorch's spelling);
  - "inputs": the tensor inputs in call order, each {"shape", "data" (row-major)}, and "target"
    (null for TripletMarginLoss); CTC's lengths and targets are integers;
  - "value": the loss (shape [] for mean/sum, the unreduced shape for none);
  - "grads": per input the gradient of loss.sum() (none) or loss (mean/sum), null for inputs without
    one (CTC's lengths).
Infinite losses and NaN gradients (CTC with an impossible alignment and zero_infinity=False) are
written as JSON's non-standard Infinity / NaN tokens.
"""
import json
import pathlib

import torch

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "losses_pair.json"
REDUCTIONS = ["none", "mean", "sum"]
GEN = torch.Generator().manual_seed(0)


def randn(*shape):
    return torch.randn(*shape, generator=GEN, dtype=torch.float64)


def signs(n):
    return torch.where(torch.rand(n, generator=GEN, dtype=torch.float64) < 0.5, -1.0, 1.0).to(torch.float64)


def tensor_json(t):
    if t is None:
        return None
    t = t.detach()
    data = t.reshape(-1).tolist()
    return {"shape": list(t.shape), "data": data}


def run_case(cases, name, loss_name, module, args, inputs, target, grad_mask):
    """inputs: tensors in call order; grad_mask[i]: whether input i gets a gradient."""
    leaves = [t.clone().requires_grad_(m) for t, m in zip(inputs, grad_mask)]
    if target is None:
        out = module(*leaves)
    elif loss_name == "CTCLoss":
        out = module(leaves[0], target, leaves[1], leaves[2])
    else:
        out = module(leaves[0], leaves[1], target)
    (out.sum() if args["reduction"] == "none" else out).backward()
    cases.append({
        "name": name,
        "loss": loss_name,
        "args": args,
        "inputs": [tensor_json(t) for t in inputs],
        "target": tensor_json(target),
        "value": tensor_json(out),
        "grads": [tensor_json(l.grad) if m else None for l, m in zip(leaves, grad_mask)],
    })


def pair_cases(cases):
    n, d = 4, 5
    # MarginRankingLoss: x1, x2 [N]; one case with same-shape [3, 2]
    x1, x2, y = randn(n), randn(n), signs(n)
    x1b, x2b, yb = randn(3, 2), randn(3, 2), torch.tensor([[1.0, -1.0], [-1.0, -1.0], [1.0, 1.0]], dtype=torch.float64)
    for margin in [0.0, 0.5]:
        for red in REDUCTIONS:
            args = {"margin": margin, "reduction": red}
            run_case(cases, f"margin_ranking_m{margin}_{red}", "MarginRankingLoss",
                     torch.nn.MarginRankingLoss(margin=margin, reduction=red), args, [x1, x2], y, [True, True])
    for red in REDUCTIONS:
        args = {"margin": 0.2, "reduction": red}
        run_case(cases, f"margin_ranking_2d_{red}", "MarginRankingLoss",
                 torch.nn.MarginRankingLoss(margin=0.2, reduction=red), args, [x1b, x2b], yb, [True, True])

    # CosineEmbeddingLoss: [N, D]; y has both signs; one case with an all-zero row (EPSILON)
    a, b = randn(n, d), randn(n, d)
    yc = torch.tensor([1.0, -1.0, -1.0, 1.0], dtype=torch.float64)
    b_close = a + 0.3 * randn(n, d)  # some negative pairs with cos above the margin
    az = a.clone()
    az[1] = 0.0
    for margin in [0.0, 0.3]:
        for red in REDUCTIONS:
            args = {"margin": margin, "reduction": red}
            mod = torch.nn.CosineEmbeddingLoss(margin=margin, reduction=red)
            run_case(cases, f"cosine_m{margin}_{red}", "CosineEmbeddingLoss", mod, args, [a, b], yc, [True, True])
            run_case(cases, f"cosine_close_m{margin}_{red}", "CosineEmbeddingLoss", mod, args, [a, b_close], yc,
                     [True, True])
    for red in REDUCTIONS:
        args = {"margin": 0.0, "reduction": red}
        run_case(cases, f"cosine_zero_row_{red}", "CosineEmbeddingLoss",
                 torch.nn.CosineEmbeddingLoss(margin=0.0, reduction=red), args, [az, b], yc, [True, True])

    # TripletMarginLoss: anchor, positive, negative [N, D]
    an, po, ne = randn(n, d), randn(n, d), randn(n, d)
    po_near = an + 0.5 * randn(n, d)
    for margin, p, swap in [(1.0, 2.0, False), (1.0, 1.0, False), (0.5, 2.0, True), (2.0, 1.0, True),
                            (1.0, 3.0, False)]:
        for red in REDUCTIONS:
            args = {"margin": margin, "p": p, "eps": 1e-6, "swap": swap, "reduction": red}
            mod = torch.nn.TripletMarginLoss(margin=margin, p=p, eps=1e-6, swap=swap, reduction=red)
            run_case(cases, f"triplet_m{margin}_p{p}_swap{swap}_{red}", "TripletMarginLoss", mod, args,
                     [an, po_near, ne], None, [True, True, True])
    for red in REDUCTIONS:
        args = {"margin": 1.0, "p": 2.0, "eps": 1e-3, "swap": False, "reduction": red}
        run_case(cases, f"triplet_eps1e-3_{red}", "TripletMarginLoss",
                 torch.nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-3, reduction=red), args,
                 [an, po, ne], None, [True, True, True])


def ctc_cases(cases):
    t_max, n, c = 8, 3, 5
    lp = randn(t_max, n, c).log_softmax(2)
    input_lengths = torch.tensor([8, 7, 5], dtype=torch.int64)
    # padded [N, S] (S=4) with padding garbage; sample 2 repeats a label
    for blank in [0, c - 1]:
        labels = [1, 2, 3] if blank == 0 else [0, 1, 2]
        tgt = torch.tensor([[labels[0], labels[1], labels[2], labels[0]],
                            [labels[2], labels[2], labels[1], labels[1]],
                            [labels[1], labels[1], labels[0], labels[0]]], dtype=torch.int64)
        target_lengths = torch.tensor([4, 3, 2], dtype=torch.int64)
        concat = torch.cat([tgt[i, :target_lengths[i]] for i in range(n)])
        for red in REDUCTIONS:
            args = {"blank": blank, "reduction": red, "zero_infinity": False}
            mod = torch.nn.CTCLoss(blank=blank, reduction=red, zero_infinity=False)
            run_case(cases, f"ctc_blank{blank}_padded_{red}", "CTCLoss", mod, args,
                     [lp, input_lengths, target_lengths], tgt, [True, False, False])
            run_case(cases, f"ctc_blank{blank}_concat_{red}", "CTCLoss", mod, args,
                     [lp, input_lengths, target_lengths], concat, [True, False, False])
    # an empty target and a length-1 input
    tgt = torch.tensor([[2, 1, 1], [0, 0, 0], [3, 0, 0]], dtype=torch.int64)
    lens_in = torch.tensor([6, 4, 1], dtype=torch.int64)
    lens_t = torch.tensor([3, 0, 1], dtype=torch.int64)
    for red in REDUCTIONS:
        args = {"blank": 0, "reduction": red, "zero_infinity": False}
        run_case(cases, f"ctc_empty_target_{red}", "CTCLoss",
                 torch.nn.CTCLoss(blank=0, reduction=red), args, [lp, lens_in, lens_t], tgt, [True, False, False])
    # impossible alignment: sample 1 needs 2 repeated labels (3 frames) in 2 frames
    tgt = torch.tensor([[1, 2, 3], [2, 2, 0], [4, 1, 0]], dtype=torch.int64)
    lens_in = torch.tensor([8, 2, 5], dtype=torch.int64)
    lens_t = torch.tensor([3, 2, 2], dtype=torch.int64)
    for zero_inf in [True, False]:
        for red in REDUCTIONS:
            args = {"blank": 0, "reduction": red, "zero_infinity": zero_inf}
            run_case(cases, f"ctc_impossible_zero_inf{zero_inf}_{red}", "CTCLoss",
                     torch.nn.CTCLoss(blank=0, reduction=red, zero_infinity=zero_inf), args,
                     [lp, lens_in, lens_t], tgt, [True, False, False])


def main():
    cases = []
    pair_cases(cases)
    ctc_cases(cases)
    doc = {"torch_version": torch.__version__, "dtype": "float64", "cases": cases}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
