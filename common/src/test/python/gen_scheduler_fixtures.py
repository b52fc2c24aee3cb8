#!/usr/bin/python3
"""Writes the PyTorch golden learning-rate schedules SchedulerGoldenTest checks sparktrain's schedulers against.

Run from anywhere with the PyTorch the fixture was made with (1.13):
    /usr/bin/python3 common/src/test/python/gen_scheduler_fixtures.py
It overwrites common/src/test/resources/fixtures/lr_schedulers.json.

Every case builds a torch.optim optimizer over TWO parameter groups with different lrs (SGD with
momentum 0.9, or Adam), builds the scheduler from the case's "spec" ({"type": ..., PyTorch's
argument names...}, the same map the Java test hands to Schedulers.fromSpec), and records the lr and
momentum (beta1 for Adam) of both groups right after construction (row 0) and after every
scheduler.step() (rows 1..steps). ReduceLROnPlateau cases step with the case's "metrics". The
scheduler's state_dict() after the last step is recorded too (JSON-friendly: Counter -> object with
string keys, inf -> "Infinity"; verbose, _get_lr_called_within_step and anneal_func left out).
OneCycleLR cases step exactly total_steps times and record the error of one step more.
Cases with "external_lr_change" multiply every group's lr by "factor" right after step "after_step"
(recorded before the change), as a user or another scheduler would.
"errors" holds argument sets PyTorch rejects, with PyTorch's message.
"""
import json
import math
import pathlib
from collections import Counter

import torch
from torch.optim import lr_scheduler as S

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "lr_schedulers.json"

SGD = {"optimizer": "sgd", "lrs": [0.1, 0.01], "momentum": 0.9}
ADAM = {"optimizer": "adam", "lrs": [0.1, 0.01], "betas": [0.9, 0.999]}

# metrics: improvements, tiny (sub-threshold) improvements, long plateaus, regressions
LOSSES = [1.0, 0.9, 0.85, 0.849, 0.85, 0.86, 0.84, 0.84, 0.7, 0.7, 0.7, 0.7, 0.7, 0.69, 0.5, 0.5,
          0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46,
          0.47, 0.48, 0.49, 0.5, 0.3, 0.3, 0.3]
ACCURACIES = [0.1, 0.3, 0.32, 0.33, 0.5, 0.5, 0.5, 0.52, 0.6, 0.61, 0.62, 0.62, 0.7, 0.7, 0.7, 0.7,
              0.71, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 0.91, 0.92, 0.93, 0.94,
              0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]

LINEAR_WARMUP = {"type": "linear", "start_factor": 0.1, "total_iters": 5}

# (name, optimizer, spec, steps, metrics)
CASES = [
    ("step_7", SGD, {"type": "step", "step_size": 7}, 40, None),
    ("step_3_gamma_half", SGD, {"type": "step", "step_size": 3, "gamma": 0.5}, 30, None),
    ("multistep_repeated", SGD, {"type": "multistep", "milestones": [5, 12, 12, 25]}, 35, None),
    ("multistep_gamma", SGD, {"type": "multistep", "milestones": [10, 20], "gamma": 0.3}, 30, None),
    ("exponential_09", SGD, {"type": "exponential", "gamma": 0.9}, 40, None),
    ("exponential_095", SGD, {"type": "exponential", "gamma": 0.95}, 30, None),
    ("cosine_tmax10_past_end", SGD, {"type": "cosine", "T_max": 10}, 45, None),
    ("cosine_tmax25_eta_min", SGD, {"type": "cosine", "T_max": 25, "eta_min": 0.001}, 40, None),
    ("linear_defaults", SGD, {"type": "linear"}, 30, None),
    ("linear_quarter", SGD, {"type": "linear", "start_factor": 0.25, "end_factor": 0.75,
                             "total_iters": 12}, 30, None),
    ("linear_decay", SGD, {"type": "linear", "start_factor": 1.0, "end_factor": 0.1,
                           "total_iters": 20}, 30, None),
    ("onecycle_cos", SGD, {"type": "onecycle", "max_lr": 0.5, "total_steps": 40}, 40, None),
    ("onecycle_linear", SGD, {"type": "onecycle", "max_lr": [0.5, 0.05], "total_steps": 37,
                              "pct_start": 0.25, "anneal_strategy": "linear"}, 37, None),
    ("onecycle_three_phase", SGD, {"type": "onecycle", "max_lr": 1.0, "epochs": 5, "steps_per_epoch": 8,
                                   "three_phase": True, "div_factor": 10.0, "final_div_factor": 100.0,
                                   "base_momentum": [0.8, 0.7], "max_momentum": [0.9, 0.95]}, 40, None),
    ("onecycle_no_momentum", SGD, {"type": "onecycle", "max_lr": 0.3, "total_steps": 32,
                                   "cycle_momentum": False, "anneal_strategy": "linear"}, 32, None),
    ("onecycle_adam", ADAM, {"type": "onecycle", "max_lr": 0.01, "total_steps": 30,
                             "base_momentum": 0.8, "max_momentum": 0.9}, 30, None),
    ("plateau_min_rel_cooldown", SGD, {"type": "plateau", "mode": "min", "factor": 0.5, "patience": 2,
                                       "threshold": 0.01, "threshold_mode": "rel", "cooldown": 2,
                                       "min_lr": [0.01, 0.002]}, 40, LOSSES),
    ("plateau_max_abs_eps", SGD, {"type": "plateau", "mode": "max", "factor": 0.3, "patience": 1,
                                  "threshold": 0.05, "threshold_mode": "abs", "cooldown": 1,
                                  "min_lr": 0.0005, "eps": 1e-3}, 40, ACCURACIES),
    ("plateau_defaults", SGD, {"type": "plateau", "patience": 3}, 40, LOSSES),
    ("sequential_linear_cosine", SGD, {"type": "sequential", "milestones": [5], "schedulers": [
        LINEAR_WARMUP, {"type": "cosine", "T_max": 30, "eta_min": 0.001}]}, 40, None),
    ("sequential_three", SGD, {"type": "sequential", "milestones": [3, 15], "schedulers": [
        {"type": "linear", "start_factor": 0.5, "total_iters": 3},
        {"type": "step", "step_size": 4, "gamma": 0.5},
        {"type": "exponential", "gamma": 0.9}]}, 35, None),
    ("sequential_exp_multistep", SGD, {"type": "sequential", "milestones": [10], "schedulers": [
        {"type": "exponential", "gamma": 0.8}, {"type": "multistep", "milestones": [3, 6]}]}, 30, None),
]

# the lr changed from outside between two steps (group["lr"] *= factor after step `after`): the
# chainable (recursive) forms carry the change on, the non-chainable ones (OneCycleLR) override it
# (name, optimizer, spec, steps, metrics, (after, factor))
EXTERNAL = [
    ("step_external", SGD, {"type": "step", "step_size": 4, "gamma": 0.5}, 30, None, (6, 0.5)),
    ("multistep_external", SGD, {"type": "multistep", "milestones": [5, 15]}, 30, None, (8, 3.0)),
    ("exponential_external", SGD, {"type": "exponential", "gamma": 0.9}, 30, None, (3, 0.25)),
    ("cosine_external", SGD, {"type": "cosine", "T_max": 20, "eta_min": 0.001}, 45, None, (7, 0.5)),
    ("linear_external", SGD, {"type": "linear", "start_factor": 0.2, "total_iters": 10}, 30, None, (2, 2.0)),
    ("onecycle_external", SGD, {"type": "onecycle", "max_lr": 0.5, "total_steps": 30}, 30, None, (5, 0.5)),
    ("plateau_external", SGD, {"type": "plateau", "patience": 1, "factor": 0.5}, 40, LOSSES, (5, 0.3)),
    ("sequential_external", SGD, {"type": "sequential", "milestones": [8], "schedulers": [
        {"type": "linear", "start_factor": 0.1, "total_iters": 8},
        {"type": "cosine", "T_max": 25}]}, 35, None, (3, 0.5)),
]

# (name, optimizer, spec): PyTorch raises ValueError while constructing
ERRORS = [
    ("linear_start_factor", SGD, {"type": "linear", "start_factor": 1.5}),
    ("linear_end_factor", SGD, {"type": "linear", "end_factor": -0.1}),
    ("onecycle_total_steps", SGD, {"type": "onecycle", "max_lr": 0.1, "total_steps": -1}),
    ("onecycle_no_steps", SGD, {"type": "onecycle", "max_lr": 0.1}),
    ("onecycle_epochs", SGD, {"type": "onecycle", "max_lr": 0.1, "epochs": 0, "steps_per_epoch": 10}),
    ("onecycle_steps_per_epoch", SGD, {"type": "onecycle", "max_lr": 0.1, "epochs": 3, "steps_per_epoch": -2}),
    ("onecycle_pct_start", SGD, {"type": "onecycle", "max_lr": 0.1, "total_steps": 10, "pct_start": 1.5}),
    ("onecycle_anneal", SGD, {"type": "onecycle", "max_lr": 0.1, "total_steps": 10, "anneal_strategy": "exp"}),
    ("onecycle_max_lr_count", SGD, {"type": "onecycle", "max_lr": [0.1, 0.2, 0.3], "total_steps": 10}),
    ("onecycle_momentum_count", SGD, {"type": "onecycle", "max_lr": 0.1, "total_steps": 10,
                                      "base_momentum": [0.8]}),
    ("plateau_factor", SGD, {"type": "plateau", "factor": 1.0}),
    ("plateau_mode", SGD, {"type": "plateau", "mode": "avg"}),
    ("plateau_threshold_mode", SGD, {"type": "plateau", "threshold_mode": "pct"}),
    ("plateau_min_lr_count", SGD, {"type": "plateau", "min_lr": [0.1]}),
    ("sequential_milestones", SGD, {"type": "sequential", "milestones": [5, 10], "schedulers": [
        {"type": "exponential", "gamma": 0.9}, {"type": "step", "step_size": 2}]}),
]

CLASSES = {"step": S.StepLR, "multistep": S.MultiStepLR, "exponential": S.ExponentialLR,
           "cosine": S.CosineAnnealingLR, "linear": S.LinearLR, "onecycle": S.OneCycleLR,
           "plateau": S.ReduceLROnPlateau}


def optimizer(desc):
    params = [torch.nn.Parameter(torch.zeros(3, dtype=torch.float64)) for _ in desc["lrs"]]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, desc["lrs"])]
    if desc["optimizer"] == "sgd":
        return torch.optim.SGD(groups, lr=desc["lrs"][0], momentum=desc["momentum"])
    return torch.optim.Adam(groups, lr=desc["lrs"][0], betas=tuple(desc["betas"]))


def build(opt, spec):
    kwargs = {k: v for k, v in spec.items() if k != "type"}
    if spec["type"] == "sequential":
        children = [build(opt, s) for s in kwargs.pop("schedulers")]
        return S.SequentialLR(opt, children, **kwargs)
    return CLASSES[spec["type"]](opt, **kwargs)


def momentum(group):
    return group["betas"][0] if "betas" in group else group["momentum"]


def snapshot(opt):
    return ([g["lr"] for g in opt.param_groups], [momentum(g) for g in opt.param_groups])


def plain(value):
    """A state_dict value as JSON-friendly data."""
    if isinstance(value, Counter):
        return {str(k): v for k, v in sorted(value.items())}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()
                if k not in ("verbose", "_get_lr_called_within_step", "anneal_func")}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float) and math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def run_case(name, desc, spec, steps, metrics, external=None):
    opt = optimizer(desc)
    sched = build(opt, spec)
    lrs, moms = [], []
    lr, mom = snapshot(opt)
    lrs.append(lr)
    moms.append(mom)
    for t in range(steps):
        opt.step()
        if metrics is not None:
            sched.step(metrics[t])
        else:
            sched.step()
        lr, mom = snapshot(opt)
        lrs.append(lr)
        moms.append(mom)
        if external is not None and t + 1 == external[0]:
            for g in opt.param_groups:
                g["lr"] *= external[1]
    case = {"name": name, "optimizer": desc, "spec": spec, "steps": steps}
    if external is not None:
        case["external_lr_change"] = {"after_step": external[0], "factor": external[1]}
    if metrics is not None:
        case["metrics"] = metrics[:steps]
    case["state_dict"] = plain(sched.state_dict())
    if spec["type"] == "onecycle":
        try:
            sched.step()
            raise AssertionError(name + ": stepping past total_steps did not raise")
        except ValueError as e:
            case["overstep_error"] = str(e)
    case["lr"] = lrs
    case["momentum"] = moms
    return case


def run_error(name, desc, spec):
    try:
        build(optimizer(desc), spec)
    except ValueError as e:
        return {"name": name, "optimizer": desc, "spec": spec, "error": str(e)}
    raise AssertionError(name + ": PyTorch accepted " + json.dumps(spec))


def dump_case(case):
    head = {k: v for k, v in case.items() if k not in ("lr", "momentum")}
    parts = [json.dumps(head)[:-1]]
    for key in ("lr", "momentum"):
        rows = ",\n".join("        " + json.dumps(r) for r in case[key])
        parts.append(', "%s": [\n%s\n      ]' % (key, rows))
    return "    " + "".join(parts) + "}"


def main():
    cases = [run_case(*c) for c in CASES + EXTERNAL]
    errors = [run_error(*e) for e in ERRORS]
    text = ('{\n  "torch_version": %s,\n  "cases": [\n%s\n  ],\n  "errors": [\n%s\n  ]\n}\n'
            % (json.dumps(torch.__version__), ",\n".join(dump_case(c) for c in cases),
               ",\n".join("    " + json.dumps(e) for e in errors)))
    json.loads(text)  # well-formed
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print("wrote", OUT, len(cases), "cases,", len(errors), "errors,", len(text), "bytes")


if __name__ == "__main__":
    main()
