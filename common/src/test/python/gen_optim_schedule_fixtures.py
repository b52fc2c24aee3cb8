#!/usr/bin/python3
"""Writes the PyTorch golden trajectories OptimizerScheduleGoldenTest checks sparktrain's optimizer and
scheduler against together: GroupedOptimizer (from Optimizers.create) driven by a scheduler from
Schedulers.fromSpec, end to end, as a training loop drives them.

Run from anywhere with the PyTorch the fixture was made with (1.13):
    /usr/bin/python3 common/src/test/python/gen_optim_schedule_fixtures.py
It overwrites common/src/test/resources/fixtures/optim_schedules.json (deterministic: the same file
every run). Everything is float64 and torch.optim runs its single-tensor code path (foreach=False).

Two parameter tensors, "a.weight" (shape [3, 2]) and "b.weight" ([4]), in TWO param groups: group 0
holds a.weight with the optimizer's constructor arguments ("defaults"), group 1 holds b.weight with
"group1" overrides (lr x 0.1 plus one override that matters to the algorithm). Every case runs STEPS
iterations of
    p.grad = grads[t] (both tensors); [clip_grad_norm_ | clip_grad_value_ over both]; optimizer.step();
    scheduler.step()  (ReduceLROnPlateau: scheduler.step(metrics[t]))
and records, after each iteration, both tensors (flattened row-major, a then b), both groups' lr and
momentum (beta1 for Adam/AdamW; null for Adagrad, which has none). "lr0"/"momentum0" are the values
right after the scheduler's construction (several schedulers change them there). At the end it
records optimizer.state per tensor (step, null for SGD which keeps none, and the buffers flattened
row-major) and optimizer.param_groups (every hyper-parameter torch reports).

The JSON holds "names", "shapes", "params0", "grads" (grads[t] = [a's, b's] gradient at iteration
t + 1), "metrics" (the ReduceLROnPlateau metric sequence) and "cases".
"""
import json
import math
import pathlib
import warnings

import torch
from torch.optim import lr_scheduler as S

STEPS = 30
NAMES = ["a.weight", "b.weight"]
SHAPES = [(3, 2), (4,)]
OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "optim_schedules.json"

OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "rmsprop": torch.optim.RMSprop,
    "adagrad": torch.optim.Adagrad,
}
SCHEDULERS = {"step": S.StepLR, "multistep": S.MultiStepLR, "exponential": S.ExponentialLR,
              "cosine": S.CosineAnnealingLR, "linear": S.LinearLR, "onecycle": S.OneCycleLR,
              "plateau": S.ReduceLROnPlateau}

# validation losses: improvements, sub-threshold improvements, plateaus, regressions
METRICS = [1.0, 0.9, 0.85, 0.849, 0.85, 0.86, 0.84, 0.84, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69, 0.5, 0.5,
           0.5, 0.5, 0.5, 0.5, 0.45, 0.5, 0.5, 0.5, 0.41, 0.42, 0.43, 0.44, 0.3, 0.3]
assert len(METRICS) == STEPS

NO_CLIP = {"max_norm": 0.0, "norm_type": 2.0, "clip_value": 0.0}

# (name, type, constructor kwargs = group 0, group 1 overrides, scheduler spec, clipping)
CASES = [
    ("sgd_nesterov_steplr", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True),
     dict(lr=0.01, momentum=0.5), {"type": "step", "step_size": 7, "gamma": 0.5}, NO_CLIP),
    ("sgd_momentum_multistep", "sgd", dict(lr=0.1, momentum=0.9, dampening=0.1),
     dict(lr=0.01, momentum=0.5), {"type": "multistep", "milestones": [5, 12, 12, 20], "gamma": 0.3}, NO_CLIP),
    ("sgd_onecycle_momentum", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True),
     dict(lr=0.01, weight_decay=0.05),
     {"type": "onecycle", "max_lr": [0.5, 0.05], "total_steps": STEPS, "pct_start": 0.3,
      "base_momentum": [0.8, 0.5], "max_momentum": [0.95, 0.6]}, NO_CLIP),
    ("sgd_sequential_linear_cosine", "sgd", dict(lr=0.1, momentum=0.9),
     dict(lr=0.01, momentum=0.5),
     {"type": "sequential", "milestones": [5], "schedulers": [
         {"type": "linear", "start_factor": 0.1, "total_iters": 5},
         {"type": "cosine", "T_max": 20, "eta_min": 0.001}]}, NO_CLIP),
    ("adam_amsgrad_exponential", "adam", dict(lr=0.05, amsgrad=True),
     dict(lr=0.005, weight_decay=0.1), {"type": "exponential", "gamma": 0.9}, NO_CLIP),
    ("adam_onecycle_beta1", "adam", dict(lr=0.01, amsgrad=True),
     dict(lr=0.001, weight_decay=0.1),
     {"type": "onecycle", "max_lr": 0.05, "total_steps": STEPS, "anneal_strategy": "linear",
      "base_momentum": 0.8, "max_momentum": 0.9}, NO_CLIP),
    ("adamw_cosine", "adamw", dict(lr=0.05),
     dict(lr=0.005, weight_decay=0.2), {"type": "cosine", "T_max": 20, "eta_min": 0.001}, NO_CLIP),
    ("rmsprop_centered_linear", "rmsprop", dict(lr=0.01, centered=True, momentum=0.9),
     dict(lr=0.001, momentum=0.5), {"type": "linear", "start_factor": 0.25, "total_iters": 10}, NO_CLIP),
    ("adagrad_lr_decay_plateau", "adagrad", dict(lr=0.1, lr_decay=0.01),
     dict(lr=0.01, weight_decay=0.05),
     {"type": "plateau", "factor": 0.5, "patience": 2, "threshold": 0.01, "cooldown": 1,
      "min_lr": [0.01, 0.002]}, NO_CLIP),
    ("rmsprop_centered_plateau", "rmsprop", dict(lr=0.01, centered=True),
     dict(lr=0.001, momentum=0.5),
     {"type": "plateau", "factor": 0.3, "patience": 3, "threshold": 0.02, "threshold_mode": "abs"}, NO_CLIP),
    ("sgd_momentum_clip_norm_steplr", "sgd", dict(lr=0.1, momentum=0.9),
     dict(lr=0.01, momentum=0.5), {"type": "step", "step_size": 4, "gamma": 0.7},
     {"max_norm": 0.5, "norm_type": 2.0, "clip_value": 0.0}),
    ("adamw_clip_value_sequential", "adamw", dict(lr=0.05, amsgrad=True),
     dict(lr=0.005, weight_decay=0.2),
     {"type": "sequential", "milestones": [6], "schedulers": [
         {"type": "linear", "start_factor": 0.2, "total_iters": 6},
         {"type": "cosine", "T_max": 24}]},
     {"max_norm": 0.0, "norm_type": 2.0, "clip_value": 0.05}),
]

GROUP_KEYS = ("lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize", "betas", "eps",
              "amsgrad", "alpha", "centered", "lr_decay", "initial_accumulator_value")


def flat(t):
    return t.detach().reshape(-1).tolist()


def build_scheduler(opt, spec):
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    if spec["type"] == "sequential":
        children = [build_scheduler(opt, s) for s in kwargs.pop("schedulers")]
        return S.SequentialLR(opt, children, **kwargs)
    return SCHEDULERS[spec["type"]](opt, **kwargs)


def momentum(group):
    if "betas" in group:
        return group["betas"][0]
    return group.get("momentum")  # Adagrad has none: None


def snapshot(opt):
    return [g["lr"] for g in opt.param_groups], [momentum(g) for g in opt.param_groups]


def group_json(group, index_of):
    out = {"params": [NAMES[index_of[id(p)]] for p in group["params"]]}
    for key in GROUP_KEYS:
        if key in group:
            out[key] = list(group[key]) if key == "betas" else group[key]
    return out


def state_json(state):
    out = {"step": None, "buffers": {}}
    for key, value in sorted(state.items()):
        if key == "step":
            out["step"] = float(value)
        elif value is not None:
            out["buffers"][key] = flat(value)
    return out


def run_case(name, kind, defaults, group1, spec, clipping, params0, grads):
    params = [torch.nn.Parameter(p.clone()) for p in params0]
    opt = OPTIMIZERS[kind]([{"params": [params[0]]}, dict(group1, params=[params[1]])], foreach=False, **defaults)
    sched = build_scheduler(opt, spec)
    lr0, mom0 = snapshot(opt)
    plateau = spec["type"] == "plateau"
    after, lrs, moms = [], [], []
    for t in range(STEPS):
        for p, g in zip(params, grads[t]):
            p.grad = g.clone()
        if clipping["max_norm"] > 0:
            torch.nn.utils.clip_grad_norm_(params, max_norm=clipping["max_norm"], norm_type=clipping["norm_type"])
        if clipping["clip_value"] > 0:
            torch.nn.utils.clip_grad_value_(params, clip_value=clipping["clip_value"])
        opt.step()
        if plateau:
            sched.step(METRICS[t])
        else:
            sched.step()
        after.append(flat(params[0]) + flat(params[1]))
        lr, mom = snapshot(opt)
        lrs.append(lr)
        moms.append(mom)
    index_of = {id(p): k for k, p in enumerate(params)}
    return {
        "name": name,
        "type": kind,
        "defaults": defaults,
        "group1": group1,
        "scheduler": spec,
        "clipping": clipping,
        "lr0": lr0,
        "momentum0": mom0,
        "param_groups": [group_json(g, index_of) for g in opt.param_groups],
        "final_state": {NAMES[k]: state_json(opt.state[p]) for k, p in enumerate(params)},
        "params_after_step": after,
        "lr_after_step": lrs,
        "momentum_after_step": moms,
    }


def scale(t):
    return 0.2 + 2.0 * math.sin(math.pi * t / (STEPS - 1))


def dump_case(case):
    rows = ("params_after_step", "lr_after_step", "momentum_after_step")
    head = {k: v for k, v in case.items() if k not in rows}
    parts = [json.dumps(head)[:-1]]
    for key in rows:
        parts.append(',\n      "%s": [\n%s\n      ]'
                     % (key, ",\n".join("        " + json.dumps(r) for r in case[key])))
    return "    " + "".join(parts) + "}"


def reject_constant(name):
    raise ValueError("non-finite number %s in the JSON" % name)


def main():
    # SequentialLR (1.13) steps its next scheduler with step(0) at a milestone, which warns that the
    # epoch argument is deprecated: expected, and the same on every run
    warnings.filterwarnings("ignore", message="The epoch parameter in `scheduler.step\\(\\)` was not necessary")
    gen = torch.Generator().manual_seed(1)
    params0 = [torch.randn(s, generator=gen, dtype=torch.float64) for s in SHAPES]
    # the scale rises and falls, the sign alternates; one small step (its total norm stays under the
    # clip_grad_norm_ threshold: coef >= 1, nothing clipped) and exact zeros
    grads = [[torch.randn(s, generator=gen, dtype=torch.float64) * scale(t) * (-1) ** t for s in SHAPES]
             for t in range(STEPS)]
    for g in grads[9]:
        g.mul_(0.02)
    grads[5][0][1, 0] = 0.0
    grads[17][1][:] = 0.0
    total9 = math.sqrt(sum(float(g.norm()) ** 2 for g in grads[9]))
    assert total9 < 0.5, total9

    cases = [run_case(*c, params0=params0, grads=grads) for c in CASES]
    text = ('{\n  "torch_version": %s,\n  "dtype": "float64",\n  "steps": %d,\n  "names": %s,\n'
            '  "shapes": %s,\n  "params0": %s,\n  "metrics": %s,\n  "grads": [\n%s\n  ],\n'
            '  "cases": [\n%s\n  ]\n}\n'
            % (json.dumps(torch.__version__), STEPS, json.dumps(NAMES), json.dumps([list(s) for s in SHAPES]),
               json.dumps([flat(p) for p in params0]), json.dumps(METRICS),
               ",\n".join("    " + json.dumps([flat(g) for g in step]) for step in grads),
               ",\n".join(dump_case(c) for c in cases)))
    json.loads(text, parse_constant=reject_constant)  # well-formed, strict, finite
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print("wrote", OUT, len(cases), "cases,", len(text), "bytes")


if __name__ == "__main__":
    main()
