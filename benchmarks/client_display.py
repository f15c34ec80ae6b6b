"""Client: how long a step takes to draw itself for Jupyter (`_repr_mimebundle_`: SVG heatmaps
and MathML), on XOR and on 784-256-128-10 (batch 32, about the most MAX_ACTIVATIONS allows; its
W_1, 256 × 784, drawn in blocks).

A real server runs in a subprocess; the client (as a student uses it) takes each step of one
iteration; the figure is, per step, the median time of its display alone (the answer is
already read) and, printed too, the time of the move plus the display, and the HTML's size.
Target: every step's display ≤ 200 ms.

Run: `.venv/bin/python -m benchmarks.client_display [--repeat N]`.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.common import fmt_seconds, mnist_spec, serve, verdict

TARGET = 0.2


def main(argv: list[str] | None = None) -> int:
    """Print each step's display time, and whether the slowest meets the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="displays per step (5)")
    args = parser.parse_args(argv)

    from backprop_visualizer_client import Client
    from backprop_visualizer_client.display import mathml

    worst = 0.0
    with serve() as server, Client(server.url) as api:
        for name, spec in (("xor", api.preset("xor")), ("784-256-128-10 batch 32", mnist_spec(32))):
            api.create_session(spec)
            count = api.session().position.step_count
            print(f"{name}:")
            for number in range(1, count + 1):
                mathml.cache_clear()  # each step's first display converts its formulas
                start = time.perf_counter()
                step = api.step()
                bundle = step._repr_mimebundle_()
                with_move = time.perf_counter() - start
                times = []
                for _ in range(args.repeat):
                    mathml.cache_clear()
                    start = time.perf_counter()
                    step._repr_mimebundle_()
                    times.append(time.perf_counter() - start)
                display = statistics.median(times)
                worst = max(worst, display)
                print(
                    f"  step {number} {step.title:28} display {fmt_seconds(display):>9}, "
                    f"move + display {fmt_seconds(with_move):>9}, "
                    f"HTML {len(bundle['text/html']) / 1024:6.1f} KiB"
                )
    print(
        f"slowest display: {fmt_seconds(worst)} (target ≤ {fmt_seconds(TARGET)}): "
        f"{verdict(worst, TARGET)}"
    )
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
