#!/usr/bin/python3
"""Writes the PyTorch golden data that OptimizerRulesGoldenTest and HyperParamsValidatorTest check
sparktrain's per-tensor update rules (dev.sparktrain.optim.*Rule) and HyperParamsValidator against.

Run from anywhere with the PyTorch the fixture was made with (1.13):
    /usr/bin/python3 common/src/test/python/gen_optim_rules_fixtures.py
It overwrites common/src/test/resources/fixtures/optim_rules.json. Everything is float64 and
torch.optim runs its single-tensor code path (foreach=False). The JSON holds:
  - "shapes", "params0": two parameter tensors (shapes [3, 2] and [4]), flattened row-major;
  - "grads": STEPS gradients per tensor (grads[t][k] is tensor k's gradient at step t+1), drawn from
    torch.Generator seed 0 with a scale that rises and falls and an alternating sign, plus exact zeros (one element of tensor 0 at
    step 6, all of tensor 1 at step 18, all of tensor 0 at step 23);
  - "cases": per case the optimizer type, its param groups exactly as torch reports them in
    optimizer.param_groups (tensor indices plus every hyper-parameter), the parameters of both tensors
    after every step, and the final optimizer.state per tensor (step and buffers, null where torch
    keeps None);
  - "validation": constructor arguments and the ValueError message torch raises for them (null when it
    accepts them);
  - "float_reprs": Python's repr of a few doubles (the number format of torch's messages).
"""
import inspect
import json
import math
import pathlib

import torch

STEPS = 30
SHAPES = [(3, 2), (4,)]
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "optim_rules.json"

OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
    "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam,
}

# name -> (type, constructor kwargs, per-group overrides or None for one group holding both tensors)
CASES = [
    ("sgd_plain", "sgd", dict(lr=0.1), None),
    ("sgd_momentum", "sgd", dict(lr=0.1, momentum=0.9), None),
    ("sgd_momentum_dampening", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.1), None),
    ("sgd_nesterov", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True), None),
    ("sgd_momentum_weight_decay", "sgd", dict(lr=0.1, momentum=0.9, weight_decay=0.01), None),
    ("sgd_maximize", "sgd", dict(lr=0.1, momentum=0.9, maximize=True), None),
    ("sgd_two_groups", "sgd", dict(lr=0.1, momentum=0.9), [{}, dict(lr=0.01, momentum=0.5)]),
    ("adam_defaults", "adam", dict(lr=1e-3), None),
    ("adam_amsgrad", "adam", dict(lr=1e-2, amsgrad=True), None),
    ("adam_custom", "adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.05), None),
    ("adam_maximize", "adam", dict(lr=1e-2, maximize=True), None),
    ("adam_two_groups", "adam", dict(lr=1e-2), [{}, dict(lr=1e-3)]),
    ("adamw_defaults", "adamw", dict(lr=1e-3), None),
    ("adamw_amsgrad", "adamw", dict(lr=1e-2, amsgrad=True), None),
    ("adamw_wd_0.1", "adamw", dict(lr=1e-2, weight_decay=0.1), None),
    ("adamw_maximize", "adamw", dict(lr=1e-2, maximize=True), None),
    ("adamw_two_groups", "adamw", dict(lr=1e-2), [{}, dict(lr=1e-3)]),
    ("rmsprop_defaults", "rmsprop", dict(lr=0.01), None),
    ("rmsprop_momentum", "rmsprop", dict(lr=0.01, momentum=0.9), None),
    ("rmsprop_centered", "rmsprop", dict(lr=0.01, centered=True), None),
    ("rmsprop_centered_momentum_wd", "rmsprop", dict(lr=0.01, centered=True, momentum=0.9, weight_decay=0.01),
     None),
    ("rmsprop_maximize", "rmsprop", dict(lr=0.01, maximize=True), None),
    ("rmsprop_two_groups", "rmsprop", dict(lr=0.01, momentum=0.9), [{}, dict(lr=0.001)]),
    ("adagrad_defaults", "adagrad", dict(lr=0.1), None),
    ("adagrad_lr_decay", "adagrad", dict(lr=0.1, lr_decay=0.01), None),
    ("adagrad_init_acc_wd", "adagrad", dict(lr=0.1, initial_accumulator_value=0.1, weight_decay=0.01), None),
    ("adagrad_maximize", "adagrad", dict(lr=0.1, maximize=True), None),
    # torch 1.13 fills "sum" in the constructor from its own initial_accumulator_value, not the group's:
    # both groups therefore share it here
    ("adagrad_two_groups", "adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1),
     [{}, dict(lr=0.01)]),
    # NAdam keeps mu_product as a float32 scalar tensor even for float64 parameters (torch's default dtype)
    ("nadam_defaults", "nadam", dict(lr=2e-3), None),
    ("nadam_custom", "nadam", dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, momentum_decay=0.01), None),
    ("nadam_weight_decay", "nadam", dict(lr=1e-2, weight_decay=0.05), None),
    ("nadam_two_groups", "nadam", dict(lr=1e-2), [{}, dict(lr=1e-3, momentum_decay=0.02)]),
    # RAdam: rho_t <= 5 for the first steps (plain momentum step), rectified after
    ("radam_defaults", "radam", dict(lr=1e-3), None),
    ("radam_custom", "radam", dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6), None),
    ("radam_weight_decay", "radam", dict(lr=1e-2, weight_decay=0.05), None),
    ("radam_two_groups", "radam", dict(lr=1e-2), [{}, dict(lr=1e-3, betas=(0.85, 0.98))]),
]

# (type, constructor kwargs) that torch's constructors check; lr=nan is not accepted by SGD's
# "lr < 0.0" test (so SGD takes it) but fails the others' "not 0.0 <= lr"
VALIDATION = [
    ("sgd", dict(lr=-0.1)),
    ("sgd", dict(lr=0.1, momentum=-1.0)),
    ("sgd", dict(lr=0.1, weight_decay=-0.1)),
    ("sgd", dict(lr=0.1, nesterov=True)),
    ("sgd", dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
    ("sgd", dict(lr=-1.0, momentum=-1.0, weight_decay=-1.0)),
    ("sgd", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("sgd", dict(lr=0.1, momentum=0.9, dampening=1.5)),
    ("sgd", dict(lr=float("nan"))),
    ("sgd", dict(lr=0.0)),
    ("adam", dict(lr=-0.1)),
    ("adam", dict(lr=float("nan"))),
    ("adam", dict(eps=-1e-08)),
    ("adam", dict(betas=(1.0, 0.999))),
    ("adam", dict(betas=(-0.1, 0.999))),
    ("adam", dict(betas=(0.9, 1.5))),
    ("adam", dict(weight_decay=-0.1)),
    ("adam", dict(lr=-2.5e-05, eps=-1.0)),
    ("adam", dict(betas=(0.0, 0.0), eps=0.0, lr=0.0)),
    ("adamw", dict(lr=-0.1)),
    ("adamw", dict(eps=-1e-08)),
    ("adamw", dict(betas=(1.0, 0.999))),
    ("adamw", dict(betas=(0.9, 1.5))),
    ("adamw", dict(weight_decay=-0.1)),
    ("adamw", dict()),
    ("rmsprop", dict(lr=-0.1)),
    ("rmsprop", dict(eps=-1e-08)),
    ("rmsprop", dict(momentum=-1.0)),
    ("rmsprop", dict(weight_decay=-0.1)),
    ("rmsprop", dict(alpha=-0.5)),
    ("rmsprop", dict(alpha=1.5, momentum=0.9, centered=True)),
    ("adagrad", dict(lr=-0.1)),
    ("adagrad", dict(lr_decay=-0.1)),
    ("adagrad", dict(weight_decay=-0.1)),
    ("adagrad", dict(initial_accumulator_value=-1.0)),
    ("adagrad", dict(eps=-1e-08)),
    ("adagrad", dict(lr_decay=-1e-20, eps=-1.0)),
    ("adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
    ("nadam", dict(lr=-0.1)),
    ("nadam", dict(eps=-1e-08)),
    ("nadam", dict(betas=(1.0, 0.999))),
    ("nadam", dict(betas=(0.9, 1.5))),
    ("nadam", dict(weight_decay=-0.1)),
    ("nadam", dict(momentum_decay=-0.004)),
    ("nadam", dict(lr=-1.0, momentum_decay=-1.0)),
    ("nadam", dict()),
    ("radam", dict(lr=-0.1)),
    ("radam", dict(eps=-1e-08)),
    ("radam", dict(betas=(-0.1, 0.999))),
    ("radam", dict(betas=(0.9, 1.0))),
    ("radam", dict(weight_decay=-0.1)),
    ("radam", dict()),
]

FLOAT_REPRS = [0.0, -0.0, 1.0, -1.0, 1.5, -0.1, 0.1 + 0.2, 1 / 3, -1e-08, 1e-4, 1e-5, 2.5e-05, 123456.789,
               1e15, 1e16, 1.5e16, 1e22, 1e100, -2.5e-300, 5e-324, 1.7976931348623157e308, 100.0, 1234.5e-10,
               float("nan"), float("inf"), float("-inf")]


def json_float(v):
    """repr for JSON numbers (all finite here)."""
    v = float(v)
    assert math.isfinite(v), v
    return repr(v)


def row(values):
    return "[" + ", ".join(json_float(v) for v in values) + "]"


def flat(t):
    return t.detach().reshape(-1).tolist()


def group_json(group, index_of):
    """One torch param group: tensor indices plus every hyper-parameter it holds (not foreach etc.)."""
    out = {"params": [index_of[id(p)] for p in group["params"]]}
    for key in ("lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "betas", "eps",
                "amsgrad", "alpha", "centered", "lr_decay", "initial_accumulator_value", "momentum_decay"):
        if key in group:
            value = group[key]
            out[key] = list(value) if key == "betas" else value
    return out


def state_json(state):
    out = {"step": None, "buffers": {}}
    for key, value in sorted(state.items()):
        if key == "step":
            out["step"] = float(value)
        elif value is None:
            out["buffers"][key] = None
        else:
            out["buffers"][key] = flat(value)
    return out


def run_case(kind, kw, groups, params0, grads):
    params = [torch.nn.Parameter(p.clone()) for p in params0]
    if groups is None:
        spec = [{"params": params}]
    else:
        spec = [dict(g, params=[p]) for g, p in zip(groups, params)]
    opt = OPTIMIZERS[kind](spec, foreach=False, **kw)
    index_of = {id(p): k for k, p in enumerate(params)}
    after = []
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        opt.step()
        after.append([flat(p) for p in params])
    return ([group_json(g, index_of) for g in opt.param_groups], after,
            [state_json(opt.state[p]) for p in params])


def validation_message(kind, kw):
    try:
        p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
        OPTIMIZERS[kind]([p], **kw)
    except ValueError as e:
        return str(e)
    return None


def kwargs_json(kind, kw):
    """The arguments, with the constructor's default lr where a case leaves it out; non-finite numbers as
    strings ("NaN"), which strict JSON has no literal for."""
    out = {}
    if "lr" not in kw:
        out["lr"] = inspect.signature(OPTIMIZERS[kind].__init__).parameters["lr"].default
    for k, v in kw.items():
        out[k] = [json_value(x) if isinstance(x, float) and not math.isfinite(x) else x for x in v] \
            if isinstance(v, tuple) else (json_value(v) if isinstance(v, float) and not math.isfinite(v) else v)
    return out


def scale(t):
    return 0.2 + 2.0 * math.sin(math.pi * t / (STEPS - 1))


def main():
    gen = torch.Generator().manual_seed(0)
    params0 = [torch.randn(s, generator=gen, dtype=torch.float64) for s in SHAPES]
    # the scale rises and falls (so exp_avg_sq shrinks late and amsgrad's max matters); the sign alternates
    grads = [[torch.randn(s, generator=gen, dtype=torch.float64) * scale(t) * (-1) ** t for s in SHAPES]
             for t in range(STEPS)]
    grads[5][0][1, 0] = 0.0
    grads[17][1][:] = 0.0
    grads[22][0][:] = 0.0

    lines = ["{", '  "torch_version": %s,' % json.dumps(torch.__version__), '  "dtype": "float64",',
             '  "steps": %d,' % STEPS, '  "shapes": %s,' % json.dumps([list(s) for s in SHAPES]),
             '  "params0": [%s],' % ", ".join(row(flat(p)) for p in params0), '  "grads": [']
    lines.append(",\n".join("    [" + ", ".join(row(flat(g)) for g in step) + "]" for step in grads))
    lines.append("  ],")
    lines.append('  "cases": [')
    cases = []
    for name, kind, kw, groups in CASES:
        groups_out, after, state = run_case(kind, kw, groups, params0, grads)
        body = ",\n".join("        [" + ", ".join(row(p) for p in s) + "]" for s in after)
        cases.append('    {\n      "name": %s,\n      "type": %s,\n      "groups": %s,\n'
                     '      "params_after_step": [\n%s\n      ],\n      "final_state": %s\n    }'
                     % (json.dumps(name), json.dumps(kind), json.dumps(groups_out), body, json.dumps(state)))
    lines.append(",\n".join(cases))
    lines.append("  ],")
    lines.append('  "validation": [')
    lines.append(",\n".join("    " + json.dumps({"type": kind, "kwargs": kwargs_json(kind, kw),
                                                  "message": validation_message(kind, kw)})
                            for kind, kw in VALIDATION))
    lines.append("  ],")
    lines.append('  "float_reprs": [')
    # the value as a JSON string Java parses (Double.parseDouble reads "NaN"/"Infinity"), and Python's repr
    lines.append(",\n".join("    " + json.dumps({"value": json_value(v), "repr": repr(v)}) for v in FLOAT_REPRS))
    lines.append("  ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text, parse_constant=reject_constant)  # well-formed, strict
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print("wrote", OUT, len(text), "bytes")


def reject_constant(name):
    raise ValueError("non-finite number %s in the JSON" % name)


def json_value(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


if __name__ == "__main__":
    main()
