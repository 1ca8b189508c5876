"""Fit the serving-engine profiles to the validation ledger, and report how well they hold.

    python benchmarks/fit_profiles.py            # fit, write engine_fit.toml and docs/validation.md
    python benchmarks/fit_profiles.py --check    # exit 1 if the shipped engine_fit.toml differs

Every measurement in ``scenario/data/measurements.toml`` becomes a scenario (its model,
GPU, engine, replica width, batch and token counts) and the engine predicts its figure.
The profiles' numbers (achieved bandwidth fraction by memory type, FLOPS fractions for
decode and prefill by GPU maker, fixed costs per step and per layer per engine; all-reduce
latency and achieved bandwidth fraction by interconnect; the power model's two weights)
are fitted by Levenberg-Marquardt on log errors, with a weak pull towards the planning
defaults so that a number no measurement constrains stays at its default. All points are
predicted in one vectorised engine call, and so is the Jacobian (its perturbations along a
leading axis). Leave-one-GPU-out cross-validation refits without each GPU and predicts it:
the honest error for hardware the fit has not seen. Takes ~1 minute on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime
import math
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tomli_w

from infracalc_tui.engine.evaluate import evaluate
from infracalc_tui.resources import data_file
from infracalc_tui.scenario import Scenario
from infracalc_tui.scenario.catalog import ENGINES, gpus
from infracalc_tui.scenario.model import bandwidth_class

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("hbm", "gddr", "unified")  # memory types, for the grounding figures
#: bandwidth fractions follow the memory, and ROCm's kernels on any AMD GPU (bandwidth_class)
BANDWIDTH_CLASSES = (*CLASSES, "amd")
MAKERS = ("nvidia", "amd", "apple")  # FLOPS fractions follow the maker's kernels
LINKS = ("nvlink", "xgmi", "pcie")
#: numbers fitted per interconnect, and what they are on a single chip (no link)
LINK_PARAMS = {"allreduce_us": 0.0, "allreduce_bw_fraction": 1.0}
PRIOR_WEIGHT = 0.3  # in log units: a parameter moves only where measurements pull it


@dataclass(frozen=True)
class Param:
    name: str  # engine_fit.toml key
    engine: str  # "" for global ones
    cls: str  # memory type, interconnect, or ""
    kind: str  # "fraction" (logit) or "positive" (log)
    init: float


def params() -> list[Param]:
    out: list[Param] = []
    for e in ENGINES:
        out += [Param("mbu", e, c, "fraction", 0.7 if c != "unified" else 0.65)
                for c in BANDWIDTH_CLASSES]
        out += [Param("mfu", e, c, "fraction", 0.4) for c in MAKERS]
        out += [Param("prefill_mfu", e, c, "fraction", 0.5) for c in MAKERS]
        # fixed costs follow the maker's kernels too (launch and encode costs of CUDA,
        # HIP, Metal)
        out += [Param("step_overhead_ms", e, c, "positive", 0.5) for c in MAKERS]
        out += [Param("layer_overhead_us", e, c, "positive", 5.0) for c in MAKERS]
    out += [Param("allreduce_us", "", link, "positive", init)
            for link, init in (("nvlink", 10.0), ("xgmi", 15.0), ("pcie", 30.0))]
    out += [Param("allreduce_bw_fraction", "", link, "fraction", 0.7) for link in LINKS]
    out += [Param("fp4_scale", "", "fp4", "fraction", 0.6)]
    out += [Param("k_mem", "", "power", "fraction", 0.5), Param("k_cmp", "", "power", "fraction",
                                                                  0.9)]
    return out


def to_theta(p: Param, x: float) -> float:
    return math.log(x / (1 - x)) if p.kind == "fraction" else math.log(x)


def from_theta(kind: np.ndarray, theta: np.ndarray) -> np.ndarray:
    return np.where(kind == 1, 1.0 / (1.0 + np.exp(-theta)), np.exp(theta))


def load_ledger() -> list[dict[str, Any]]:
    return tomllib.loads(data_file("measurements.toml").read_text("utf-8"))["measurement"]


def scenario_of(m: dict[str, Any]) -> Scenario:
    """The measurement's configuration as a scenario (host mode for llama.cpp layer split)."""
    model = {f"model.{k}": v for k, v in m["model"].items()
             if k not in ("name", "experts", "experts_per_token")}
    experts, k = m["model"].get("experts"), m["model"].get("experts_per_token")
    if experts and k and "active_params_b" in m["model"] and "shared_params_b" not in m["model"]:
        # parameters read every token: A = S + (k/E)·(N − S)
        frac, n, a = k / experts, m["model"]["total_params_b"], m["model"]["active_params_b"]
        model["model.shared_params_b"] = max(0.0, (a - frac * n) / (1 - frac))
    t_in, t_out = m["input_tokens"], max(m["output_tokens"], 1)
    split = m["parallel"] == "layer_split"
    explicit = {**model, "gpu.preset": m["gpu"], "serving.engine": m["engine"],
                "serving.tensor_parallel": 1 if split else m["gpus"],
                "serving.max_batch": m["batch"],
                # a latency bound the source states (an interactive scenario's TPOT limit)
                "serving.min_tokens_per_s_per_stream": m.get("min_tokens_per_s_per_stream", 0),
                "fleet.input_tokens_per_query": t_in, "fleet.output_tokens_per_query": t_out,
                "model.context_tokens": (2 * t_in + t_out) if split else t_in + t_out,
                "host.gpu_count": m["gpus"], "host.multi_gpu": "layer_split",
                "pricing.concurrent_threads": max(m["batch"], 1)}
    return Scenario(m["id"], "", explicit)


class Ledger:
    """The measurements as arrays, ready for one vectorised prediction."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        # derived keys (TFLOPS in use, active and shared parameters) per point: the fit
        # varies only the profile's numbers, which nothing derives from
        inputs = [scenario_of(m).values for m in rows]
        self.base = {k: _stack([x[k] for x in inputs]) for k in inputs[0]}
        self.measured = np.array([m["value"] for m in rows], dtype=float)
        self.gpu = np.array([m["gpu"] for m in rows])
        self.ps = params()
        kinds = {"fraction": 1, "positive": 0}
        self.kind = np.array([kinds[p.kind] for p in self.ps])
        self.theta0 = np.array([to_theta(p, p.init) for p in self.ps])
        where = {(p.name, p.engine, p.cls): i for i, p in enumerate(self.ps)}
        mem = [bandwidth_class(gpus()[m["gpu"]].vendor, gpus()[m["gpu"]].memory_type)
               for m in rows]
        maker = [gpus()[m["gpu"]].vendor for m in rows]
        link = [gpus()[m["gpu"]].interconnect for m in rows]
        e = [m["engine"] for m in rows]
        self.index = {
            "serving.mbu": [where["mbu", e[i], mem[i]] for i in range(len(rows))],
            "serving.mfu": [where["mfu", e[i], maker[i]] for i in range(len(rows))],
            "serving.prefill_mfu": [where["prefill_mfu", e[i], maker[i]]
                                    for i in range(len(rows))],
            "serving.step_overhead_ms": [where["step_overhead_ms", e[i], maker[i]]
                                         for i in range(len(rows))],
            "serving.layer_overhead_us": [where["layer_overhead_us", e[i], maker[i]]
                                          for i in range(len(rows))],
            "gpu.power_k_mem": [where["k_mem", "", "power"]] * len(rows),
            "gpu.power_k_cmp": [where["k_cmp", "", "power"]] * len(rows),
        }
        for name in LINK_PARAMS:  # a link without its own number takes PCIe's
            self.index[f"serving.{name}"] = [where.get((name, "", link[i]), where[name, "", "pcie"])
                                             for i in range(len(rows))]
        # points whose weights run at the FP4 rate: the fit scales their TFLOPS (the shipped
        # values were derived with the current fp4_scale; rebuild from the raw FP4 peak)
        self.fp4 = np.array([x["gpu.tflops_fp4"] is not None and x["serving.native_fp4"]
                             and x["model.weight_bits"] <= 4.5 and "gpu.tflops" not in
                             scenario_of(m).explicit for x, m in zip(inputs, rows, strict=True)])
        self.fp4_peak = np.array([x["gpu.tflops_fp4"] or 0.0 for x in inputs])
        self.fp4_index = where["fp4_scale", "", "fp4"]
        self.metric = [m["metric"] for m in rows]
        self.split = np.array([m["parallel"] == "layer_split" for m in rows])

    def predict(self, thetas: np.ndarray) -> np.ndarray:
        """Predictions (K, points) for K parameter vectors (K, params)."""
        x = from_theta(self.kind, thetas)
        values = dict(self.base)
        for key, idx in self.index.items():
            values[key] = x[:, idx]
        values["gpu.tflops"] = np.where(self.fp4, self.fp4_peak * x[:, [self.fp4_index]],
                                        self.base["gpu.tflops"])
        r = evaluate(values)
        out = np.empty((thetas.shape[0], len(self.rows)))
        t_out = self.base["fleet.output_tokens_per_query"]
        for j, metric in enumerate(self.metric):
            if metric == "decode_tokens_per_s_per_stream":
                key = "host" if self.split[j] else "throughput"
                col = r[f"{key}.decode_tokens_per_s_per_stream"]
            elif metric == "output_tokens_per_s_per_gpu":
                col = t_out / r["fleet.gpu_seconds_per_query"]
            else:
                col = r[f"throughput.{metric}"]
            out[:, j] = np.broadcast_to(col, (thetas.shape[0], len(self.rows)))[:, j]
        return out

    def fit(self, use: np.ndarray, iterations: int = 40) -> np.ndarray:
        """Levenberg-Marquardt on log(predicted/measured) of the points in ``use``."""
        theta, mu, h = self.theta0.copy(), 1e-2, 1e-4
        n = len(theta)

        def residual(pred: np.ndarray, th: np.ndarray) -> np.ndarray:
            logs = np.log(np.maximum(pred, 1e-30) / self.measured)[..., use]
            return np.concatenate([logs, PRIOR_WEIGHT * (th - self.theta0)], axis=-1)

        for _ in range(iterations):
            probes = np.vstack([theta, theta + h * np.eye(n)])
            pred = self.predict(probes)
            r = residual(pred, probes)
            jac = ((r[1:] - r[0]) / h).T
            a = jac.T @ jac
            g = jac.T @ r[0]
            cost = float(r[0] @ r[0])
            improved = False
            for _ in range(8):
                step = np.linalg.solve(a + mu * np.diag(np.diag(a) + 1e-9), -g)
                trial = theta + step
                rt = residual(self.predict(trial[None, :]), trial[None, :])[0]
                if float(rt @ rt) < cost:
                    theta, mu, improved = trial, max(mu / 3, 1e-7), True
                    break
                mu *= 4
            if not improved or np.max(np.abs(step)) < 1e-6:
                break
        return theta


def _stack(items: list[Any]) -> Any:
    """One key over every point: numbers as an array (an optional key left empty on some
    points is 0 there, which the engine reads as "off"), equal strings as one string."""
    if all(x is None for x in items):
        return None
    if all(x is None or (isinstance(x, int | float) and not isinstance(x, bool)) for x in items):
        return np.array([0.0 if x is None else x for x in items], dtype=float)
    return items[0]  # strings that differ are not read numerically (engine names, reasons)


def errors(pred: np.ndarray, measured: np.ndarray) -> np.ndarray:
    """Signed relative error of each prediction, in % (log-symmetric sign kept)."""
    return (pred / measured - 1.0) * 100.0


def run() -> tuple[dict[str, Any], str]:
    rows = load_ledger()
    led = Ledger(rows)
    everything = np.ones(len(rows), dtype=bool)
    before = led.predict(led.theta0[None, :])[0]
    theta = led.fit(everything)
    after = led.predict(theta[None, :])[0]
    loo = np.full(len(rows), np.nan)
    for g in sorted(set(led.gpu)):
        held = led.gpu == g
        th = led.fit(~held)
        loo[held] = led.predict(th[None, :])[0][held]
    x = from_theta(led.kind, theta)
    return _fit_file(led, x, loo), _report(led, before, after, loo)


def _fit_file(led: Ledger, x: np.ndarray, loo: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {"about": {
        "script": "benchmarks/fit_profiles.py", "data": "scenario/data/measurements.toml",
        "measurements": len(led.rows),
        "loo_median_error_pct": _r(np.nanmedian(np.abs(errors(loo, led.measured)))),
        "loo_worst_error_pct": _r(np.nanmax(np.abs(errors(loo, led.measured))))}}
    for e in ENGINES:
        sect: dict[str, Any] = {}
        for p, value in zip(led.ps, x, strict=True):
            if p.engine != e:
                continue
            if p.cls:
                sect.setdefault(p.name, {})[p.cls] = _r(value, 4)
            else:
                sect[p.name] = _r(value, 4)
        for name, single_chip in LINK_PARAMS.items():
            sect[name] = {p.cls: _r(v, 4) for p, v in zip(led.ps, x, strict=True)
                          if p.name == name} | {"none": single_chip}
        grounding: dict[str, Any] = {}
        for c in BANDWIDTH_CLASSES:  # the class whose bandwidth fraction a GPU gets
            sel = np.array([m["engine"] == e and bandwidth_class(
                gpus()[m["gpu"]].vendor, gpus()[m["gpu"]].memory_type) == c for m in led.rows])
            if sel.any():
                grounding[c] = {"n": int(sel.sum()), "loo_median_pct": _r(np.nanmedian(
                    np.abs(errors(loo[sel], led.measured[sel]))), 1)}
        sect["grounding"] = grounding
        out[e] = sect
    out["power"] = {p.name: _r(v, 4) for p, v in zip(led.ps, x, strict=True)
                    if p.cls == "power"}
    fp4 = next(_r(v, 4) for p, v in zip(led.ps, x, strict=True) if p.name == "fp4_scale")
    for e in ENGINES:
        out[e]["fp4_scale"] = fp4
    return out


def _r(v: float, digits: int = 1) -> float:
    return float(round(float(v), digits))


def _report(led: Ledger, before: np.ndarray, after: np.ndarray, loo: np.ndarray) -> str:
    e_b, e_a, e_l = (errors(p, led.measured) for p in (before, after, loo))
    regime = np.array(["batch 1" if m["batch"] == 1 else "max load" if m["batch"] == 0
                       else "small batch" if m["batch"] <= 64 else "large batch"
                       for m in led.rows])
    lines = ["# Validation ledger", "",
             "Generated by `python benchmarks/fit_profiles.py` from "
             "`src/infracalc_tui/scenario/data/measurements.toml` (each point's source is in "
             "that file). Errors are predicted / measured − 1. *Default*: the profiles' "
             "starting values; *fitted*: after the fit on every point; *leave-one-GPU-out*: "
             "fitted without any point on that GPU, then predicting it (the honest figure for "
             "hardware the fit has not seen).", ""]

    def summary(title: str, groups: np.ndarray) -> None:
        lines.extend([f"## By {title}", "",
                      "| group | points | median default | median fitted | median LOO | "
                      "worst LOO |", "|---|---|---|---|---|---|"])
        for g in sorted(set(groups)):
            s = groups == g
            lines.append(f"| {g} | {int(s.sum())} | {np.median(np.abs(e_b[s])):.1f}% | "
                         f"{np.median(np.abs(e_a[s])):.1f}% | {np.median(np.abs(e_l[s])):.1f}% | "
                         f"{np.max(np.abs(e_l[s])):.1f}% |")
        lines.append("")

    allg = np.array(["all"] * len(led.rows))
    summary("everything", allg)
    summary("engine", np.array([m["engine"] for m in led.rows]))
    summary("GPU class", np.array([gpus()[m["gpu"]].memory_type for m in led.rows]))
    summary("regime", regime)
    summary("metric", np.array(led.metric))
    lines.extend(["## Every point", "",
                  "| id | engine | GPU x n | model | batch | in/out | metric | measured | "
                  "fitted | error | LOO | LOO error |", "|---|---|---|---|---|---|---|---|---|---|"
                  "---|---|"])
    for j, m in enumerate(led.rows):
        lines.append(f"| {m['id']} | {m['engine']} | {m['gpu']} x{m['gpus']} | "
                     f"{m['model']['name']} | {m['batch'] or 'max'} | {m['input_tokens']}/"
                     f"{m['output_tokens']} | {m['metric']} | {m['value']:g} | {after[j]:.4g} | "
                     f"{e_a[j]:+.1f}% | {loo[j]:.4g} | {e_l[j]:+.1f}% |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the shipped engine_fit.toml is not what the fit gives")
    args = ap.parse_args(argv)
    fit, report = run()
    header = (f"# Written by benchmarks/fit_profiles.py from measurements.toml on "
              f"{datetime.date.today().isoformat()}: do not edit by hand.\n")
    path = data_file("engine_fit.toml")
    if args.check:
        shipped = tomllib.loads(path.read_text("utf-8"))
        if shipped != fit:
            print("engine_fit.toml differs from the fit: run python benchmarks/fit_profiles.py")
            return 1
        return 0
    path.write_text(header + tomli_w.dumps(fit), encoding="utf-8")
    (ROOT / "docs" / "validation.md").write_text(report, encoding="utf-8")
    print(report.split("## Every point")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
