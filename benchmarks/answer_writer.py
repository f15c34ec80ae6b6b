"""The answer writer (app/api/answers.py) against pydantic writing the same answers.

In one process, no server: for every step answer of an iteration of 3 layers of 32 (batch 16,
what `api_step` asks for) and for the whole trace of 784-256-128-10 (batch 64), the time
`answers.dumps(answers.move(…))` / `answers.dumps(answers.trace(…))` takes to make the answer
from the engine's records and write it, against the time pydantic's `model_dump_json` takes to
write the same answer from its model (`schemas.StepAnswer`, `schemas.Trace`) already built: a
lower bound of what a route returning its model would spend, which would build the model too.
Both write the same JSON (tests/api/test_answers.py holds them to it). Printed: best and median
of `--repeats` of each, taking turns, and their ratio (the writer's median over pydantic's);
target: the writer is no slower (≤ 1.0×).

Run: `.venv/bin/python -m benchmarks.answer_writer [--repeats N]`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from benchmarks.common import layers_of, mnist_spec, verdict

TARGET = 1.0


def _timed(writers: tuple[Callable[[], Any], ...], repeats: int) -> list[list[float]]:
    """Seconds each writer took, `repeats` times, taking turns (so both see the same load)."""
    seconds: list[list[float]] = [[] for _ in writers]
    for _ in range(repeats):
        for write, times in zip(writers, seconds, strict=True):
            start = time.perf_counter()
            write()
            times.append(time.perf_counter() - start)
    return seconds


def _line(name: str, seconds: list[float]) -> str:
    best, median = min(seconds) * 1e3, statistics.median(seconds) * 1e3
    return f"{name}: best {best:.3f} ms, median {median:.3f} ms"


def main(argv: list[str] | None = None) -> int:
    """Print both writers' times for the step answers and the trace, and their ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60, help="times each is written (60)")
    args = parser.parse_args(argv)

    from app import engine, schemas
    from app.api import answers

    session = engine.Session.create(layers_of(32))
    shown = [session.step() for _ in range(session.steps_per_iteration)]
    step_models = [
        schemas.StepAnswer.model_validate_json(answers.dumps(answers.move("id", session, s)))
        for s in shown
    ]
    trace = engine.Session.create(mnist_spec(batch=64)).trace()
    trace_model = schemas.Trace.model_validate_json(answers.dumps(answers.trace(trace, "json")))

    cases = (
        (
            f"the {len(shown)} step answers of an iteration, 3 layers of 32, batch 16",
            lambda: [answers.dumps(answers.move("id", session, s)) for s in shown],
            lambda: [model.model_dump_json() for model in step_models],
            args.repeats,
        ),
        (
            "the trace of 784-256-128-10, batch 64",
            lambda: answers.dumps(answers.trace(trace, "json")),
            trace_model.model_dump_json,
            max(3, args.repeats // 6),
        ),
    )
    print("Answers as JSON: app/api/answers.py against pydantic's model_dump_json")
    ratios = []
    for title, writer, pydantic, repeats in cases:
        ours, theirs = _timed((writer, pydantic), repeats)
        ratio = statistics.median(ours) / statistics.median(theirs)
        ratios.append(ratio)
        print(f"  {title}, {repeats} times each")
        print(f"    {_line('answers.py, from the engine records', ours)}")
        print(f"    {_line('pydantic, from the model already built', theirs)}")
        print(f"    ratio {ratio:.2f}× (target ≤ {TARGET}×: {verdict(ratio, TARGET)})")
    return 0 if max(ratios) <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
