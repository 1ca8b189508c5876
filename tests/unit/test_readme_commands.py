"""The README's two set-up commands: one installs and opens the app, one installs and runs
the tests, and CI (.ci/run) runs that test command verbatim."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text("utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set up\n", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```sh\n")[1:]
    return [b.split("```", 1)[0].strip() for b in blocks]


def test_two_setup_commands_and_ci_runs_the_test_one() -> None:
    app, tests = _setup_commands()
    # a virtual environment: an externally managed system Python refuses a bare pip install
    assert app.startswith("python3 -m venv .venv && ") and app.endswith(".venv/bin/infracalc")
    assert tests.startswith("python3 -m venv .venv && ") and "'.[test]'" in tests
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert tests in ci, "CI must run the README's test command as it is written"
    assert all(tool in "\n".join(ci) for tool in ("chromium", "chromium-driver", "tmux"))
