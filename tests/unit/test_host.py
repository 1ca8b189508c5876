"""Single-host economics against hand-computed values (engine-spec 'Host')."""

from pytest import approx

from infracalc_tui.calc import report_for
from infracalc_tui.scenario import Scenario
from infracalc_tui.scenario.presets import presets


def _host(**kw):
    """The seed host, on the spec's plain roofline (its own engine is llama.cpp)."""
    s = presets()["llama70b-own-hardware"].scenario.with_value("serving.engine", "generic")
    for key, value in kw.items():
        s = s.with_value(key.replace("__", "."), value)
    return report_for(s)


def test_seed_question_by_hand() -> None:
    """2 x RTX 4090 ($1,800), $0.02/min, 8 h/day, 2 threads, $0.15/kWh, 3 years."""
    h = _host()["host"]
    hardware = 2 * 1800 + 500 + 300 + 800  # 5,200
    load_kw, idle_kw = (2 * 450 + 200) / 1000, 100 / 1000
    electricity = (load_kw * 8 + idle_kw * 16) * 0.15  # 1.56
    depreciation = hardware / (3 * 365)
    revenue = 0.02 * 60 * 8 * 2  # 19.20
    profit = revenue - electricity - depreciation
    assert h["hardware_cost_usd"] == hardware
    assert h["electricity_usd_per_day"] == approx(1.56)
    assert h["depreciation_usd_per_day"] == approx(depreciation)
    assert h["revenue_usd_per_day"] == approx(19.2)
    assert h["profit_usd_per_day"] == approx(profit)
    assert h["profit_usd_per_month"] == approx(profit * 365 / 12)
    assert h["break_even_days"] == approx(hardware / (revenue - electricity))  # 294.8 days
    assert h["roi_pct"] == approx(profit * 365 * 3 / hardware * 100)
    assert h["min_price_per_minute_usd"] == approx((electricity + depreciation) / (60 * 8 * 2))


def test_seed_question_memory_and_speed() -> None:
    h = _host()["host"]
    w = 70.6e9 * 4.82 / 8  # Q4_K_M weights, 42.5 GB
    kv = 2 * 80 * 8 * 128 * 2  # 327,680 B/token
    assert h["memory_required_gb"] == approx((w + 2 * 4096 * kv) / 1e9)
    # a "24 GB" RTX 4090 holds 24,564 MiB = 25.76e9 bytes (nvidia-smi)
    available = 2 * 25.76e9 * 0.9  # 46.37 GB
    assert h["memory_available_gb"] == approx(available / 1e9)
    assert h["fits_in_memory"] is True
    # layer split: one GPU's bandwidth, 1.008 TB/s x 0.75; reads W + 2 x 2048 x kv per step
    step = (w + 2 * 2048 * kv) / (1.008e12 * 0.75)
    assert h["decode_tokens_per_s_per_stream"] == approx(1 / step)
    # memory allows floor((46.36e9 - 42.54e9) / (4096 x kv)) = floor(2.85) = 2 threads
    assert h["max_threads_memory"] == int((available - w) // (4096 * kv)) == 2
    assert h["max_threads"] == 2


def test_tensor_parallel_host_adds_bandwidth() -> None:
    split = _host()["host"]["decode_tokens_per_s_per_stream"]
    tp = _host(host__multi_gpu="tensor_parallel")["host"]["decode_tokens_per_s_per_stream"]
    assert tp == approx(2 * split)


def test_other_opex_and_zero_hours() -> None:
    h = _host(host__other_opex_usd_per_month=30.0)["host"]
    assert h["other_opex_usd_per_day"] == approx(30 * 12 / 365)
    r = _host(pricing__utilization_hours_per_day=0)
    assert r["host"]["revenue_usd_per_day"] == 0
    assert r["host"]["min_price_per_minute_usd"] is None
    assert r["host"]["break_even_days"] is None
    assert any("0 hours" in w for w in r["warnings"])


def test_never_breaks_even_is_null_with_warning() -> None:
    r = _host(pricing__charge_per_minute_usd=0.0001)
    assert r["host"]["break_even_days"] is None
    assert any("never breaks even" in w for w in r["warnings"])


def test_model_too_big_for_host() -> None:
    s = Scenario("x", "", {"model.preset": "llama-3.1-405b", "gpu.preset": "rtx-4090",
                           "host.gpu_count": 1})
    r = report_for(s)
    assert r["host"]["fits_in_memory"] is False
    assert r["host"]["max_threads"] == 0
    assert any("weights alone" in w for w in r["warnings"])


def test_24_hours_has_no_idle_time() -> None:
    h = _host(pricing__utilization_hours_per_day=24)["host"]
    assert h["electricity_usd_per_day"] == approx(1.1 * 24 * 0.15)
