"""The benchmark scripts (run by `make bench`, not here) at least load and explain themselves."""

from __future__ import annotations

import importlib

import pytest

from benchmarks.__main__ import BENCHMARKS


@pytest.mark.parametrize("name", ["__main__", *BENCHMARKS, "limits", "link_cpu"])
def test_each_benchmark_script_loads_and_prints_its_usage(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script = importlib.import_module(f"benchmarks.{name}")

    with pytest.raises(SystemExit) as exited:
        script.main(["--help"])

    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out
