"""Each student's network: drawn from the assignment's template by a seed derived from the
student number, and which of its tensors a student must not see until the solutions are out.

Pure (numpy and the engine): no web, no store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from app import engine

SEED_BITS = 53
"""Seeds drawn here are 0 … 2^53 − 1 (a spec takes up to 2^63 − 1): a JSON number that
JavaScript, and so the lecturer's page, reads exactly."""

INPUT_RANGE = (-1.0, 1.0)
"""Random inputs are drawn uniformly from here (and rounded)."""

TARGET_RANGE = (0.0, 1.0)
"""Random targets of `squared_error` are drawn uniformly from here (and rounded)."""

TEMPLATE_LIMITS = engine.Limits()
"""What `student_spec` checks against while drawing; `check_template` takes the server's."""


def derive_seed(salt: int, number_key: str) -> int:
    """A student's seed: the SHA-256 of the assignment's salt and the student's number key,
    cut to SEED_BITS bits. The same number gives the same seed on every device and server; two
    numbers give two seeds (equal only by a 2^-53 chance)."""
    digest = hashlib.sha256(f"{salt}:{number_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def new_salt() -> int:
    """A random salt for a new assignment (0 … 2^53 − 1)."""
    return int.from_bytes(np.random.default_rng().bytes(8), "big") >> (64 - SEED_BITS)


def _rounded(values: np.ndarray, decimals: int) -> list[Any]:
    """Values rounded to `decimals` places as lists, with no negative zero."""
    return (np.round(values, decimals) + 0.0).tolist()  # type: ignore[no-any-return]


def student_spec(template: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """The spec of the network the template gives `seed`: inputs (a batch of `batch` samples),
    targets and starting weights drawn from the seed where the template does not give them
    (the weights from its `weights_seed` instead, when it has one: the same for every seed),
    rounded to the template's `decimals`, and every number explicit. Biases start at zero
    unless the template gives them. Shapes are the template's, whatever the seed.

    Raises SpecError (naming the template's field) when the template cannot make a network.
    """
    layers = list(template["layers"])
    loss = template.get("loss", "squared_error")
    decimals = int(template.get("decimals", 2))
    data = np.random.default_rng([seed, 1])  # a stream of its own: the weights use `seed`
    inputs = template.get("inputs")
    batch = len(inputs) if inputs is not None else int(template.get("batch") or 4)
    if inputs is None:
        inputs = _rounded(data.uniform(*INPUT_RANGE, size=(batch, layers[0])), decimals)
    targets = template.get("targets")
    if targets is None and loss == "squared_error":
        targets = _rounded(data.uniform(*TARGET_RANGE, size=(batch, layers[-1])), decimals)
    elif targets is None and loss == "softmax_cross_entropy":
        targets = np.eye(layers[-1])[data.integers(layers[-1], size=batch)].tolist()
    spec: dict[str, Any] = {
        "layers": layers,
        "activations": template.get("activations", "sigmoid"),
        "bias": template.get("bias", True),
        "loss": loss,
        "inputs": inputs,
        "targets": targets,
        "weights": template.get("weights"),
        "biases": template.get("biases"),
        "seed": seed,
        "init": template.get("init", "xavier"),
        "learning_rate": template.get("learning_rate", 0.1),
    }
    if spec["weights"] is None:
        shared = template.get("weights_seed")
        drawing = spec if shared is None else {**spec, "seed": shared}
        drawn = engine.Network.from_spec(drawing, TEMPLATE_LIMITS).initial_parameters()
        spec["weights"] = [_rounded(w, decimals) for w in drawn.weights]
    return spec


def check_template(template: Mapping[str, Any], limits: engine.Limits) -> engine.Network:
    """The network of the template drawn with seed 0, checked against `limits`: a template
    that cannot make a network raises SpecError naming its field. Its widths, depth and batch
    are checked before anything is drawn, so that a huge template draws nothing."""
    inputs = template.get("inputs")
    batch = template.get("batch")
    if inputs is not None and batch is not None and batch != len(inputs):
        raise engine.SpecError(
            "batch", f"is {batch} but the inputs give {len(inputs)} samples: leave one out"
        )
    if inputs is None and batch is not None and not 1 <= batch <= limits.max_batch:
        raise engine.SpecError("batch", f"must be 1 … {limits.max_batch}, got {batch}")
    try:  # the engine checks the shape of the network before it looks at the inputs
        engine.build_spec({**template, "inputs": None, "targets": None}, limits)
    except engine.SpecError as error:
        if error.loc[:1] != ("inputs",):
            raise
    return engine.Network.from_spec(student_spec(template, 0), limits)


def computed(trace: engine.Trace) -> list[str]:
    """The tensors an iteration computes, in step order: every result and intermediate of its
    steps (not X, Y, W_i and b_i, which a student is given)."""
    names: list[str] = []
    for step in trace.steps:
        for name in (*step.intermediates, *step.results):
            if name not in names:
                names.append(name)
    return names


def withheld(trace: engine.Trace, tasks: Iterable[str]) -> frozenset[str]:
    """The tasks and every tensor computed from one of them, directly or not: what a student
    must not see before the solutions are revealed, since it would give a task away (∇b_2 = Δ_2
    for one sample; W_2 after the update gives ∇W_2). Follows each step's operations in order
    (a sub-step's operands and result; the step's own operands and results where it names no
    sub-steps)."""
    hidden = set(tasks)
    for step in trace.steps:
        operations: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
            (s.operands, (s.result,)) for s in step.substeps
        ]
        covered = {name for _, results in operations for name in results}
        rest = tuple(n for n in (*step.intermediates, *step.results) if n not in covered)
        if rest:
            operations.append((step.operands, rest))
        for operands, results in operations:
            if hidden.intersection(operands):
                hidden.update(results)
    return frozenset(hidden)
