"""Engine vs PyTorch: one training iteration, same network, same data, same thread count.

The engine's iteration is `trace_iteration` (forward, objective, backward and update, every
intermediate kept with its step records) and taking the updated parameters out of the trace.
PyTorch's is CPU autograd on the same float64 parameters: forward, loss, `backward()`, and an
in-place SGD update. Both are checked to give the same loss and the same updated weights before
they are timed. Cases and targets (engine time / torch time, median of several runs):

- 784-256-128-10, batch 64 (sigmoid, sigmoid, identity + softmax cross-entropy): ≤ 1.0×
- 2-8-8-1, batch 4 (tanh, tanh, sigmoid + squared error): ≤ 0.5×

Run: `.venv/bin/python -m benchmarks.engine_vs_torch [--threads N] [--runs R]`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks.common import (
    compare,
    fmt_seconds,
    limit_threads,
    mnist_spec,
    spec,
    verdict,
)

CASES = (
    ("784-256-128-10, batch 64", lambda: mnist_spec(64), 1.0),
    (
        "2-8-8-1, batch 4",
        lambda: spec([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], batch=4),
        0.5,
    ),
)


def engine_iteration(raw: dict[str, Any]) -> tuple[Callable[[], object], Any, Any]:
    """The engine's iteration as a no-argument call, its network and its initial parameters."""
    from app.engine import Network, Parameters, trace_iteration

    network = Network.from_spec(raw)
    params = network.initial_parameters()
    k = network.depth

    def iteration() -> Parameters:
        trace = trace_iteration(network, params)
        tensors = trace.tensors
        return Parameters(
            tuple(tensors[f"W{i}_new"].value for i in range(1, k + 1)),
            tuple(tensors[f"b{i}_new"].value for i in range(1, k + 1)),
        )

    return iteration, network, params


def torch_iteration(network: Any, params: Any) -> Callable[[], Any]:
    """The same iteration in PyTorch autograd, from the same parameters.

    Unlike the engine's call, each call goes on from the previous call's update (as training
    does): the values change but the work is the same, and torch is spared a reset.
    """
    import torch

    activations = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "identity": lambda t: t}
    functions = [activations[layer.uniform] for layer in network.activations]
    x = torch.from_numpy(network.x)
    y = torch.from_numpy(network.y)
    m = x.shape[1]
    eta = network.spec.learning_rate
    loss_name = network.spec.loss
    weights = [torch.tensor(w, requires_grad=True) for w in params.weights]
    biases = [torch.tensor(b, requires_grad=True) for b in params.biases]
    parameters = weights + biases

    def iteration() -> tuple[Any, list[Any]]:
        """Returns J and the parameters after the update: W_1 … W_k, b_1 … b_k."""
        a = x
        for w, b, f in zip(weights, biases, functions, strict=True):
            a = f(w @ a + b)
        if loss_name == "softmax_cross_entropy":
            loss = -(y * torch.log_softmax(a, dim=0)).sum() / m
        else:
            loss = ((a - y) ** 2).sum() / (2 * m)
        loss.backward()
        with torch.no_grad():
            for p in parameters:
                p -= eta * p.grad
                p.grad = None
        return loss.detach(), parameters

    return iteration


def check_agreement(engine: Callable[[], Any], network: Any, params: Any) -> None:
    """The first iteration of both gives the same loss and updated weights and biases."""
    from app.engine import trace_iteration

    updated = engine()
    loss, parameters = torch_iteration(network, params)()
    np.testing.assert_allclose(trace_iteration(network, params).loss, float(loss), rtol=1e-9)
    ours = (*updated.weights, *updated.biases)
    for mine, theirs in zip(ours, parameters, strict=True):
        np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-9, atol=1e-12)


def main(argv: list[str] | None = None) -> int:
    """Print engine time, torch time and their ratio per case; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS and torch threads (1)")
    parser.add_argument("--runs", type=int, default=7, help="alternating runs per case (7)")
    parser.add_argument("--budget", type=float, default=0.3, help="seconds per run (0.3)")
    args = parser.parse_args(argv)

    limit_threads(args.threads)
    import torch

    torch.set_num_threads(args.threads)
    print(
        f"engine vs torch {torch.__version__}, float64, {args.threads} thread(s), "
        f"median of {args.runs} alternating runs"
    )
    missed = False
    for name, make_spec, target in CASES:
        engine, network, params = engine_iteration(make_spec())
        check_agreement(engine, network, params)
        reference = torch_iteration(network, params)
        result = compare(engine, reference, runs=args.runs, budget=args.budget)
        engine_s = float(np.median(result.subject))
        torch_s = float(np.median(result.reference))
        missed |= result.ratio > target
        print(
            f"  {name:26} engine {fmt_seconds(engine_s):>10}  torch {fmt_seconds(torch_s):>10}"
            f"  ratio {result.ratio:.2f}× (target ≤ {target}×: {verdict(result.ratio, target)})"
        )
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
