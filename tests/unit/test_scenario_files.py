"""Scenario files: presets, round trips, atomic writes and error messages."""

import os
from pathlib import Path

import pytest

from infracalc_tui.atomicio import atomic_write_text
from infracalc_tui.scenario import Scenario, ScenarioError, dumps, load, parse, save
from infracalc_tui.scenario.catalog import gpus, models
from infracalc_tui.scenario.presets import default_path, presets

REQUIRED_GPUS = {"h100-sxm", "h100-pcie", "h200", "b200", "a100-sxm-80gb", "a100-pcie-80gb",
                 "l40s", "l4", "rtx-4090", "rtx-5090", "rtx-3090", "mi300x"}
REQUIRED_MODELS = {"llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-2-70b",
                   "qwen2.5-7b", "qwen2.5-72b", "qwen3-32b", "mixtral-8x7b", "deepseek-v3",
                   "gpt-oss-20b", "gpt-oss-120b", "gpt-4o-estimate"}


def test_catalogs_have_what_users_reach_for() -> None:
    assert set(gpus()) >= REQUIRED_GPUS
    assert {"m2-ultra", "m3-ultra"} & set(gpus())
    assert set(models()) >= REQUIRED_MODELS
    assert "estimate" in models()["gpt-4o-estimate"].name.lower()


def test_every_gpu_figure_has_a_source() -> None:
    figures = ("memory_gb", "bandwidth_tb_s", "tflops_bf16", "tdp_w", "price_usd", "mbu", "mfu")
    for g in gpus().values():
        for figure in figures:
            assert g.sources.get(figure), (g.key, figure)
        if g.tflops_fp8:
            assert g.sources.get("tflops_fp8"), g.key
        if g.rent_usd_per_hour:
            assert g.sources.get("rent_usd_per_hour"), g.key


def test_model_configs_read_not_derived() -> None:
    q = models()["qwen3-32b"]
    assert (q.layers, q.kv_heads, q.head_dim) == (64, 8, 128)  # hidden/heads would give 80
    assert models()["llama-3.1-70b"].kv_heads == 8  # GQA, not 64 attention heads


def test_gpu_preset_picks_precision() -> None:
    s = Scenario("x", "", {"gpu.preset": "h100-sxm", "model.weight_bits": 8})
    assert s.values["gpu.tflops"] == 1979
    assert Scenario("x", "", {"gpu.preset": "h100-sxm"}).values["gpu.tflops"] == 989


def test_explicit_key_wins_over_preset_and_preset_change_resets_it() -> None:
    s = Scenario("x", "", {"gpu.preset": "h100-sxm", "gpu.price_usd": 1})
    assert s.values["gpu.price_usd"] == 1
    t = s.with_preset("gpu", "h200")
    assert t.values["gpu.price_usd"] == gpus()["h200"].price_usd
    assert t.values["gpu.memory_gb"] == gpus()["h200"].memory_gb == 150.75  # 143,771 MiB


def test_presets_load_and_round_trip(tmp_path: Path) -> None:
    keys = set(presets())
    assert {"gpt4o-1b-users", "llama70b-own-hardware", "llama13b-budget-host",
            "deepseek-v3-h200-fleet", "rtx4090-llama8b"} <= keys
    assert default_path().exists()
    for p in presets().values():
        out = tmp_path / f"{p.key}.toml"
        save(p.scenario, out)
        again = load(out)
        assert again.values == p.scenario.values
        assert (again.name, again.description, again.focus) == \
            (p.scenario.name, p.scenario.description, p.scenario.focus)
        save(again, out)
        assert load(out).values == p.scenario.values


def test_seed_presets_hold_the_seed_numbers() -> None:
    host = presets()["llama70b-own-hardware"].scenario.values
    assert host["pricing.charge_per_minute_usd"] == 0.02
    assert host["model.total_params_b"] == pytest.approx(70.6)
    small = presets()["llama13b-budget-host"].scenario.values
    assert (small["pricing.charge_per_minute_usd"], small["pricing.utilization_hours_per_day"],
            small["pricing.concurrent_threads"], small["model.total_params_b"]) == (0.01, 8, 2, 13)
    fleet = presets()["gpt4o-1b-users"].scenario.values
    assert fleet["fleet.users"] == 1e9


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse(text, "bad.toml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(("text", "expected"), [
    ("[fleet]\nusers = -5\n", "bad.toml:2: fleet.users: -5: out of range: must be a number "
                              "from 1 to 1e12"),
    ("[fleet]\nusers = \"many\"\n", "bad.toml:2: fleet.users: 'many': expected a number"),
    ("[fleet]\nusers = true\n", "bad.toml:2: fleet.users: True: expected a number"),
    ("[fleet]\nusers = nan\n", "bad.toml:2: fleet.users: nan: must be a finite number"),
    ("[fleet]\nusers = inf\n", "must be a finite number"),
    ("[fleet]\nusers = [1, 2]\n", "fleet.users: an array of 2 item(s): expected a number"),
    ("[fleet]\nusers = {a = 1}\n", "fleet.users: a table {...}: expected a number"),
    ("[model]\nlayers = 2.5\n", "model.layers: 2.5: must be a whole number from 1 to 1000"),
    ("[fleet]\nuserz = 5\n", "bad.toml:2: fleet.userz: unknown key; [fleet] has: users"),
    ("[fleets]\nusers = 5\n", "bad.toml:1: fleets: unknown key"),
    ("fleet = 5\n", "fleet: 5: expected a [fleet] table"),
    ("[gpu]\npreset = \"h1000\"\n", "gpu.preset: 'h1000': unknown gpu preset; known: h100-sxm"),
    ("[host]\nmulti_gpu = \"magic\"\n", "host.multi_gpu: 'magic': must be one of"),
    ("[model]\ntotal_params_b = 10\nactive_params_b = 20\n",
     "bad.toml:3: model.active_params_b: active parameters (20B) cannot exceed total"),
    ("name = 5\n", "bad.toml:1: name: 5: expected text"),
    ("[fleet\nusers = 1\n", "bad.toml:1: not valid TOML"),
    ("schema_version = 0\n", "schema_version: 0: must be a whole number from 1 to 1"),
    ("[fleet]\nusers = 99999999999999999999999\n", "out of range"),
])
def test_bad_values_are_named_with_the_allowed_range(text: str, expected: str) -> None:
    problems = _problems(text)
    assert any(expected in p for p in problems), problems


def test_all_problems_are_reported_at_once() -> None:
    assert len(_problems("[fleet]\nusers = -1\npue = 3\n[facility]\npue = 0\n")) == 3


def test_future_schema_version_is_refused_clearly() -> None:
    (msg,) = _problems("schema_version = 2\n")
    assert "newer than this infracalc understands" in msg


def test_file_level_errors(tmp_path: Path) -> None:
    for path, expected in [(tmp_path / "missing.toml", "no such file"),
                           (tmp_path, "is a folder")]:
        with pytest.raises(ScenarioError, match=expected):
            load(path)
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (2 * 1024 * 1024))
    with pytest.raises(ScenarioError, match="at most 1024 KiB"):
        load(big)
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"name = 'x'\n\xff\xfe")
    with pytest.raises(ScenarioError, match=r"bin.toml:2: is not UTF-8"):
        load(binary)


def test_file_without_keys_uses_defaults_and_file_name(tmp_path: Path) -> None:
    f = tmp_path / "my-plan.toml"
    f.write_text("")
    s = load(f)
    assert s.name == "my-plan"
    assert s.values["fleet.users"] == 1e9


def test_save_writes_only_what_was_set() -> None:
    text = dumps(Scenario("n", "", {"gpu.preset": "l4", "fleet.users": 5e6}))
    assert "users = 5000000\n" in text
    assert "memory_gb" not in text


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.toml"
    target.write_text("old")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.toml"]  # no temp file left


def test_atomic_write_into_missing_folder_raises(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        atomic_write_text(tmp_path / "nope" / "plan.toml", "x")


def test_readme_key_tables_match_the_schema() -> None:
    """README's key tables are generated from FIELDS; regenerate: python docs/make_key_tables.py"""
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "docs" / "make_key_tables.py"
    spec = importlib.util.spec_from_file_location("make_key_tables", script)
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    _, current, _ = gen.split(gen.README.read_text(encoding="utf-8"))
    assert current == gen.tables(), "stale README key tables: run python docs/make_key_tables.py"
    assert gen.main(["--check"]) == 0


def test_a_preset_drops_only_its_own_sections_keys() -> None:
    """Choosing a model preset forgets the model keys typed before (the preset fills them)
    and keeps the GPU's; choosing a GPU preset the other way round."""
    from infracalc_tui.scenario import Scenario

    s = Scenario("x", "", {"model.layers": 10, "gpu.memory_gb": 99.0, "fleet.users": 5.0})
    m = s.with_preset("model", "llama-3.1-8b")
    assert m.explicit == {"gpu.memory_gb": 99.0, "fleet.users": 5.0,
                          "model.preset": "llama-3.1-8b"}
    g = s.with_preset("gpu", "h100-sxm")
    assert g.explicit == {"model.layers": 10, "fleet.users": 5.0, "gpu.preset": "h100-sxm"}
    assert s.with_preset("gpu", "").explicit == {"model.layers": 10, "fleet.users": 5.0}
