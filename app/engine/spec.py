"""A network spec, as JSON-like data, checked field by field into a NetworkSpec."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from .activations import ACTIVATIONS
from .errors import Location, SpecError
from .objectives import OBJECTIVES

FloatArray = npt.NDArray[np.float64]

INITIALISATIONS = ("xavier", "he", "normal")
DISTRIBUTION_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one spec may ask for."""

    max_width: int = 1024
    max_depth: int = 8
    max_parameters: int = 300_000
    max_batch: int = 256
    max_activations: int | None = None
    """Most values of X and the Σ_i together, (n_0 + … + n_k) × m; None: no such limit."""


@dataclass(frozen=True)
class NetworkSpec:
    """A checked spec. Widths n_0 … n_k; X is n_0 × m; Y is n_k × m (None for `network`)."""

    layers: tuple[int, ...]
    activations: tuple[tuple[str, ...], ...]
    bias: bool
    loss: str
    inputs: FloatArray
    targets: FloatArray | None
    weights: tuple[FloatArray, ...] | None
    biases: tuple[FloatArray, ...] | None
    seed: int
    init: str
    learning_rate: float
    formal_rows: bool = False
    """True for the homogeneous embedding of an affine network (paper §3): the last row of each
    W_i, i < k, is the constant [0 … 0 1] of condition (b), which the update holds fixed."""

    @property
    def depth(self) -> int:
        """k, the number of layers with weights."""
        return len(self.layers) - 1

    @property
    def batch(self) -> int:
        """m, the number of samples (columns of X)."""
        return int(self.inputs.shape[1])

    @property
    def parameter_count(self) -> int:
        """The number of weights, and of biases when they are on."""
        return parameter_count(self.layers, bias=self.bias)

    def to_dict(self) -> dict[str, Any]:
        """The spec as JSON-like data, inputs and targets as lists of samples."""
        return {
            "layers": list(self.layers),
            "activations": [
                names[0] if len(set(names)) == 1 else list(names) for names in self.activations
            ],
            "bias": self.bias,
            "loss": self.loss,
            "inputs": self.inputs.T.tolist(),
            "targets": None if self.targets is None else self.targets.T.tolist(),
            "weights": None if self.weights is None else [w.tolist() for w in self.weights],
            "biases": None if self.biases is None else [b[:, 0].tolist() for b in self.biases],
            "seed": self.seed,
            "init": self.init,
            "learning_rate": self.learning_rate,
        }


def parameter_count(layers: Sequence[int], *, bias: bool) -> int:
    """Σ_i n_i n_{i-1}, plus Σ_i n_i when biases are on."""
    return sum(n_out * (n_in + int(bias)) for n_in, n_out in zip(layers, layers[1:], strict=False))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite_number(value: object, loc: Location) -> float:
    if not _is_number(value):
        raise SpecError(loc, f"must be a number, got {type(value).__name__}")
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise SpecError(loc, "must be a finite number, got an integer beyond float64") from None
    if not math.isfinite(number):
        raise SpecError(loc, f"must be a finite number, got {number}")
    return number


def _integer(value: object, loc: Location) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(loc, f"must be an integer, got {type(value).__name__}")
    if isinstance(value, float) and not value.is_integer():
        raise SpecError(loc, f"must be a whole number, got {value}")
    return int(value)


def _matrix(value: object, loc: Location, rows: int, cols: int, what: str) -> FloatArray:
    """A rows × cols matrix given as a list of rows of finite numbers."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise SpecError(loc, f"must be a list of {rows} rows ({what})")
    if len(value) != rows:
        raise SpecError(loc, f"must have {rows} rows ({what}), got {len(value)}")
    for r, row in enumerate(value):
        if not isinstance(row, Sequence) or isinstance(row, str):
            raise SpecError((*loc, r), f"must be a list of {cols} numbers")
        if len(row) != cols:
            raise SpecError((*loc, r), f"must have {cols} numbers ({what}), got {len(row)}")
    out = np.empty((rows, cols), dtype=np.float64)
    if _plain_numbers(value, out):
        return out
    for r, row in enumerate(value):  # something is wrong: find the first entry, and say where
        for c, entry in enumerate(row):
            out[r, c] = _finite_number(entry, (*loc, r, c))
    return out


_PLAIN_NUMBERS = {float, int}


def _plain_numbers(rows: Sequence[Sequence[object]], into: FloatArray) -> bool:
    """Fills `into` with rows of finite Python floats and ints, all checked at once; False
    for anything else (then each entry is checked one by one, so that an error is located)."""
    if not set(map(type, itertools.chain.from_iterable(rows))) <= _PLAIN_NUMBERS:
        return False
    try:
        into[:] = cast(list[list[float]], rows)
    except OverflowError:  # an int beyond float64
        return False
    return bool(np.isfinite(into).all())


def _layers(raw: object, limits: Limits) -> tuple[int, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise SpecError("layers", "must be a list of widths n_0 … n_k")
    if len(raw) < 2:
        raise SpecError("layers", "needs at least two widths: n_0 inputs and n_1 outputs (k ≥ 1)")
    if len(raw) - 1 > limits.max_depth:
        raise SpecError("layers", f"depth k = {len(raw) - 1} is over the limit {limits.max_depth}")
    widths = []
    for i, width in enumerate(raw):
        n = _integer(width, ("layers", i))
        if n < 1:
            raise SpecError(("layers", i), f"a width must be at least 1, got {n}")
        if n > limits.max_width:
            raise SpecError(("layers", i), f"width {n} is over the limit {limits.max_width}")
        widths.append(n)
    return tuple(widths)


def _activations(raw: object, layers: tuple[int, ...]) -> tuple[tuple[str, ...], ...]:
    k = len(layers) - 1
    if isinstance(raw, str):
        raw = [raw] * k
    if not isinstance(raw, Sequence):
        raise SpecError("activations", f"must be a list of {k} activations, one per layer")
    if len(raw) != k:
        raise SpecError("activations", f"must name {k} activations, one per layer, got {len(raw)}")
    known = ", ".join(ACTIVATIONS)
    result = []
    for i, entry in enumerate(raw):
        n_i = layers[i + 1]
        names: Sequence[object]
        if isinstance(entry, str):
            names = [entry] * n_i
            locs: list[Location] = [("activations", i)] * n_i
        elif isinstance(entry, Sequence):
            if len(entry) != n_i:
                raise SpecError(
                    ("activations", i),
                    f"layer {i + 1} has {n_i} neurons, so it needs one activation or {n_i}, "
                    f"got {len(entry)}",
                )
            names = entry
            locs = [("activations", i, j) for j in range(n_i)]
        else:
            raise SpecError(("activations", i), "must be an activation name or a list of names")
        for name, loc in zip(names, locs, strict=True):
            if not isinstance(name, str) or name not in ACTIVATIONS:
                raise SpecError(loc, f"unknown activation {name!r}; choose one of {known}")
        result.append(tuple(str(name) for name in names))
    return tuple(result)


def _samples(raw: object, field: str, width: int, limits: Limits) -> FloatArray:
    """A list of m samples of `width` numbers, returned as width × m (one column a sample)."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise SpecError(field, f"must be a list of samples, each a list of {width} numbers")
    if len(raw) == 0:
        raise SpecError(field, "needs at least one sample")
    if len(raw) > limits.max_batch:
        raise SpecError(field, f"{len(raw)} samples is over the batch limit {limits.max_batch}")
    what = f"each sample has {width} numbers"
    return _matrix(raw, (field,), len(raw), width, what).T.copy()


def build_spec(raw: Mapping[str, Any], limits: Limits | None = None) -> NetworkSpec:
    """Check a JSON-like spec field by field; raise SpecError naming the first bad field."""
    limits = limits or Limits()
    if not isinstance(raw, Mapping):
        raise SpecError("spec", "must be an object")
    layers = _layers(raw.get("layers"), limits)
    k = len(layers) - 1
    bias = raw.get("bias", True)
    if not isinstance(bias, bool):
        raise SpecError("bias", "must be true (affine layers) or false (homogeneous layers)")
    count = parameter_count(layers, bias=bias)
    if count > limits.max_parameters:
        raise SpecError(
            "layers",
            f"these widths make {count} parameters, over the limit {limits.max_parameters}",
        )
    activations = _activations(raw.get("activations", "sigmoid"), layers)

    loss = raw.get("loss", "squared_error")
    if not isinstance(loss, str) or loss not in OBJECTIVES:
        raise SpecError(
            "loss", f"unknown objective {loss!r}; choose one of {', '.join(OBJECTIVES)}"
        )
    if loss == "network" and layers[-1] != 1:
        raise SpecError(
            "layers", f"the `network` objective needs one output (n_k = 1), got {layers[-1]}"
        )
    if loss == "softmax_cross_entropy" and set(activations[-1]) != {"identity"}:
        raise SpecError(
            ("activations", k - 1),
            "softmax_cross_entropy needs the identity activation on the last layer "
            "(the softmax is part of the objective)",
        )

    inputs = _samples(raw.get("inputs"), "inputs", layers[0], limits)
    m = inputs.shape[1]
    activations_count = sum(layers) * m
    if limits.max_activations is not None and activations_count > limits.max_activations:
        raise SpecError(
            "inputs",
            f"{m} samples through {sum(layers)} neurons (n_0 + … + n_k) make "
            f"{activations_count} activations, over the limit {limits.max_activations}: "
            "use fewer samples or narrower layers",
        )
    raw_targets = raw.get("targets")
    targets: FloatArray | None = None
    if OBJECTIVES[loss].needs_targets or raw_targets not in (None, []):
        if raw_targets is None:
            raise SpecError("targets", f"the {loss} objective needs targets")
        targets = _samples(raw_targets, "targets", layers[-1], limits)
        if targets.shape[1] != m:
            raise SpecError(
                "targets",
                f"needs one target per input sample: {m} inputs, {targets.shape[1]} targets",
            )
    if loss == "softmax_cross_entropy":
        assert targets is not None
        for j in range(m):
            column = targets[:, j]
            if (column < 0).any() or abs(column.sum() - 1.0) > DISTRIBUTION_TOLERANCE:
                raise SpecError(
                    ("targets", j),
                    "cross-entropy targets must be distributions: entries ≥ 0 that sum to 1, "
                    f"got sum {column.sum():.6g}",
                )
    if loss == "network":
        targets = None

    weights = raw.get("weights")
    checked_weights: tuple[FloatArray, ...] | None = None
    if weights is not None:
        if not isinstance(weights, Sequence) or len(weights) != k:
            raise SpecError("weights", f"must be a list of {k} matrices W_1 … W_{k}")
        checked_weights = tuple(
            _matrix(
                w,
                ("weights", i),
                layers[i + 1],
                layers[i],
                f"W_{i + 1} is {layers[i + 1]} × {layers[i]}",
            )
            for i, w in enumerate(weights)
        )
    biases = raw.get("biases")
    checked_biases: tuple[FloatArray, ...] | None = None
    if biases is not None:
        if not bias:
            raise SpecError("biases", "biases are given but `bias` is false")
        if not isinstance(biases, Sequence) or len(biases) != k:
            raise SpecError("biases", f"must be a list of {k} vectors b_1 … b_{k}")
        checked_biases = tuple(
            _matrix(
                [[v] for v in b] if isinstance(b, Sequence) and not isinstance(b, str) else b,
                ("biases", i),
                layers[i + 1],
                1,
                f"b_{i + 1} has {layers[i + 1]} numbers",
            )
            for i, b in enumerate(biases)
        )

    seed = _integer(raw.get("seed", 0), ("seed",))
    if not 0 <= seed < 2**63:
        raise SpecError("seed", f"must be between 0 and 2^63 - 1, got {seed}")
    init = raw.get("init", "xavier")
    if init not in INITIALISATIONS:
        raise SpecError(
            "init", f"unknown initialisation {init!r}; choose one of {', '.join(INITIALISATIONS)}"
        )
    learning_rate = _finite_number(raw.get("learning_rate", 0.1), ("learning_rate",))
    if learning_rate <= 0:
        raise SpecError("learning_rate", f"must be positive, got {learning_rate}")

    return NetworkSpec(
        layers=layers,
        activations=activations,
        bias=bias,
        loss=loss,
        inputs=inputs,
        targets=targets,
        weights=checked_weights,
        biases=checked_biases,
        seed=seed,
        init=str(init),
        learning_rate=learning_rate,
    )
