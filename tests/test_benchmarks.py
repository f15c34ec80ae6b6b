"""The benchmark scripts (run by `make bench`, not here) at least load and explain themselves."""

from __future__ import annotations

import importlib
import json
import subprocess
from pathlib import Path

import pytest

from benchmarks import big_network
from benchmarks.__main__ import BENCHMARKS
from benchmarks.common import mnist_spec

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["__main__", *BENCHMARKS, "limits", "link_cpu"])
def test_each_benchmark_script_loads_and_prints_its_usage(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script = importlib.import_module(f"benchmarks.{name}")

    with pytest.raises(SystemExit) as exited:
        script.main(["--help"])

    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out


@pytest.mark.parametrize("batch", [2, 8])
def test_the_big_network_benchmark_opens_the_link_the_page_writes(
    batch: int, tmp_path: Path
) -> None:
    """Its `#spec=` is the page's own (address.js' encodeSpec, run by node): the JSON of
    784-256-128-10, then its inputs and targets as float64 bytes."""
    spec = mnist_spec(batch)
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    page = (ROOT / "static" / "js" / "address.js").as_uri()
    read = f"JSON.parse(fs.readFileSync({json.dumps(str(tmp_path / 'spec.json'))}))"
    script = (
        f"import {{ encodeSpec }} from {json.dumps(page)}; import fs from 'node:fs';"
        f"process.stdout.write(encodeSpec({read}));"
    )
    written = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    ).stdout

    assert big_network.encode_spec(spec) == written
    assert written.count(".") == 2
