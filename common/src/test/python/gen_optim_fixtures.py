#!/usr/bin/python3
"""Writes the PyTorch golden trajectories OptimizerGoldenTest checks sparktrain's SGD and Adam against.

Run from anywhere with the PyTorch the fixture was made with (1.13):
    /usr/bin/python3 common/src/test/python/gen_optim_fixtures.py
It overwrites common/src/test/resources/fixtures/optim_sgd_adam.json. Everything is float64; the
initial parameters and the 25 gradients (torch.Generator seed 0) are stored in the JSON, and each
case records the parameters after every step, as torch.optim computes them.
"""
import json
import pathlib

import torch

STEPS = 25
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "optim_sgd_adam.json"

# name -> (type, torch kwargs); every OptimizerConfig field is written out explicitly in the JSON
CASES = [
    ("sgd_plain", "sgd", dict(lr=0.1)),
    ("sgd_momentum", "sgd", dict(lr=0.1, momentum=0.9)),
    ("sgd_momentum_dampening", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.1)),
    ("sgd_nesterov", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("sgd_momentum_weight_decay", "sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01)),
    ("adam_defaults", "adam", dict(lr=1e-3)),
    ("adam_custom", "adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05)),
]


def full_config(kind, kw):
    """All OptimizerConfig fields, with torch's defaults for the ones a case does not set."""
    betas = kw.get("betas", (0.9, 0.999))
    return {
        "type": kind,
        "lr": kw["lr"],
        "weight_decay": kw.get("weight_decay", 0.0),
        "momentum": kw.get("momentum", 0.0),
        "dampening": kw.get("dampening", 0.0),
        "nesterov": kw.get("nesterov", False),
        "beta1": betas[0],
        "beta2": betas[1],
        "eps": kw.get("eps", 1e-8),
    }


def trajectory(kind, kw, params0, grads):
    p = torch.nn.Parameter(params0.clone())
    opt_class = torch.optim.SGD if kind == "sgd" else torch.optim.Adam
    opt = opt_class([p], foreach=False, **kw)
    steps = []
    for g in grads:
        p.grad = g.clone()
        opt.step()
        steps.append(p.detach().tolist())
    return steps


def row(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def main():
    gen = torch.Generator().manual_seed(0)
    params0 = torch.randn(7, generator=gen, dtype=torch.float64)
    # gradients of varied scale and sign, some steps with exact zeros
    grads = [torch.randn(7, generator=gen, dtype=torch.float64) * (0.5 + t / 10) for t in range(STEPS)]
    grads[5][2] = 0.0
    grads[17][:] = 0.0

    lines = ["{", '  "torch_version": %s,' % json.dumps(torch.__version__), '  "dtype": "float64",',
             '  "params0": %s,' % row(params0.tolist()), '  "grads": [']
    lines.append(",\n".join("    " + row(g.tolist()) for g in grads))
    lines.append("  ],")
    lines.append('  "cases": [')
    cases = []
    for name, kind, kw in CASES:
        steps = trajectory(kind, kw, params0, grads)
        body = ",\n".join("        " + row(s) for s in steps)
        cases.append('    {\n      "name": %s,\n      "config": %s,\n      "params_after_step": [\n%s\n      ]\n    }'
                     % (json.dumps(name), json.dumps(full_config(kind, kw)), body))
    lines.append(",\n".join(cases))
    lines.append("  ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # well-formed
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print("wrote", OUT, len(text), "bytes")


if __name__ == "__main__":
    main()
