"""A stepping session as pure data: where it is in which iteration, and how to move it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import SpecError
from .network import Network, Parameters
from .recent import RECENT
from .spec import Limits, build_spec
from .trace import Step, Trace, step_count
from .training import IterationRecord, train


class CannotMove(Exception):
    """A move the session cannot make (nothing to go back to, history no longer kept)."""


@dataclass
class Session:
    """A network being stepped.

    `parameters` are those at the start of the current iteration; `cursor` counts the steps of
    that iteration already taken (0 … 2k + 1); taking the update starts the next iteration.
    `history` holds the parameters before each of the last updates (most recent last), so that
    stepping back across an update restores them exactly. `losses` has J of each finished
    iteration.
    """

    network: Network
    initial: Parameters
    parameters: Parameters
    iteration: int = 0
    cursor: int = 0
    losses: list[float] = field(default_factory=list)
    history: list[Parameters] = field(default_factory=list)
    history_limit: int = 100

    @classmethod
    def create(
        cls, raw_spec: Mapping[str, Any], *, limits: Limits | None = None, history_limit: int = 100
    ) -> Session:
        """A new session at the start of iteration 0 of a JSON-like spec."""
        network = Network(build_spec(raw_spec, limits))
        initial = network.initial_parameters()
        return cls(network, initial, initial.copy(), history_limit=history_limit)

    @property
    def steps_per_iteration(self) -> int:
        """2k + 2."""
        return step_count(self.network.depth)

    def trace(self) -> Trace:
        """The current iteration's trace (from the parameters at its start), computed once for
        all the steps through it (see `RecentTraces`)."""
        return RECENT.trace(self.network, self.parameters)

    def previous_trace(self) -> Trace | None:
        """The trace of the iteration just finished; None when its parameters are not kept."""
        if self.iteration > 0 and self.history:
            return RECENT.trace(self.network, self.history[-1])
        return None

    def current(self) -> tuple[Step, Trace] | None:
        """The last step taken and its trace; None before the first step of the session."""
        if self.cursor > 0:
            trace = self.trace()
            return trace.steps[self.cursor - 1], trace
        previous = self.previous_trace()
        if previous is not None:
            return previous.steps[-1], previous
        return None

    def step(self) -> tuple[Step, Trace]:
        """Take the next step and return it; the update step moves on to the next iteration."""
        trace = self.trace()
        step = trace.steps[self.cursor]
        self.cursor += 1
        if self.cursor == self.steps_per_iteration:
            self._finish_iteration(trace)
        return step, trace

    def _finish_iteration(self, trace: Trace) -> None:
        updated = Parameters(
            tuple(trace.tensors[f"W{i}_new"].value for i in range(1, self.network.depth + 1)),
            None
            if self.parameters.biases is None
            else tuple(trace.tensors[f"b{i}_new"].value for i in range(1, self.network.depth + 1)),
        )
        self._remember(self.parameters)
        self.losses.append(trace.loss)
        self.parameters = updated
        self.iteration += 1
        self.cursor = 0

    def _remember(self, params: Parameters) -> None:
        self.history.append(params)
        if len(self.history) > self.history_limit:
            del self.history[: len(self.history) - self.history_limit]

    def back(self) -> tuple[Step, Trace] | None:
        """Undo the last step; undoing an update restores the parameters before it exactly.

        Returns the step that is now the last one taken (None at the very start).
        """
        if self.cursor > 0:
            self.cursor -= 1
        elif self.iteration > 0:
            if not self.history:
                raise CannotMove(
                    f"the parameters before iteration {self.iteration} are no longer kept "
                    f"(only the last {self.history_limit} updates are); reset to start over"
                )
            self.parameters = self.history.pop()
            self.losses.pop()
            self.iteration -= 1
            self.cursor = self.steps_per_iteration - 1
        else:
            raise CannotMove("already at the start: no step has been taken")
        return self.current()

    def goto(self, number: int) -> tuple[Step, Trace] | None:
        """Move within the current iteration so that `number` steps are taken (0 … 2k + 2)."""
        if not 0 <= number <= self.steps_per_iteration:
            raise CannotMove(f"step must be between 0 and {self.steps_per_iteration}")
        if number == self.steps_per_iteration:
            self.cursor = number - 1
            return self.step()
        self.cursor = number
        return self.current()

    def train(self, iterations: int) -> list[float]:
        """Run whole iterations from the current iteration's start; returns J of each."""
        return [record.loss for record in self.train_records(iterations)]

    def train_records(self, iterations: int) -> tuple[IterationRecord, ...]:
        """As `train`, returning each iteration's record: J, ‖Δ_i‖, ‖∇W_i‖, dead units."""
        result = train(self.network, self.parameters, iterations, keep=self.history_limit)
        for params in result.history:
            self._remember(params)
        self.losses.extend(result.losses)
        self.parameters = result.parameters
        self.iteration += iterations
        self.cursor = 0
        return result.records

    def reset(self) -> None:
        """Back to iteration 0, step 0, with the initial parameters."""
        self.parameters = self.initial.copy()
        self.iteration = 0
        self.cursor = 0
        self.losses.clear()
        self.history.clear()

    # --- as a document -------------------------------------------------------------------

    def to_document(self) -> dict[str, Any]:
        """JSON-like data from which `from_document` rebuilds an identical session.

        The spec carries the initial parameters explicitly, so a reset gives the same network.
        Non-finite numbers (a diverged run) are kept as floats; the caller encodes them.
        """
        spec = self.network.spec.to_dict()
        spec["weights"], spec["biases"] = self.initial.to_lists()
        weights, biases = self.parameters.to_lists()
        return {
            "spec": spec,
            "state": {
                "iteration": self.iteration,
                "cursor": self.cursor,
                "weights": weights,
                "biases": biases,
                "losses": list(self.losses),
                "history": [
                    dict(zip(("weights", "biases"), p.to_lists(), strict=True))
                    for p in self.history
                ],
            },
        }

    @classmethod
    def from_document(
        cls, document: Mapping[str, Any], *, limits: Limits | None = None, history_limit: int = 100
    ) -> Session:
        """The session a document describes; its state is checked against its spec."""
        session = cls.create(document["spec"], limits=limits, history_limit=history_limit)
        state = document.get("state")
        if state is None:
            return session
        spec = session.network.spec
        session.parameters = _parameters(
            spec.to_dict() | {"weights": state.get("weights"), "biases": state.get("biases")},
            limits,
            ("state",),
        )
        session.iteration = _count(state.get("iteration", 0), ("state", "iteration"))
        session.cursor = _count(state.get("cursor", 0), ("state", "cursor"))
        if session.cursor >= session.steps_per_iteration:
            raise SpecError(
                ("state", "cursor"), f"must be below {session.steps_per_iteration} (2k + 2)"
            )
        losses = state.get("losses", [])
        if not isinstance(losses, list) or len(losses) != session.iteration:
            raise SpecError(("state", "losses"), "needs one loss per finished iteration")
        session.losses = [float(v) if v is not None else float("nan") for v in losses]
        history = state.get("history", [])
        if not isinstance(history, list) or len(history) > min(session.iteration, history_limit):
            raise SpecError(
                ("state", "history"),
                "at most one entry per finished iteration, within the history limit",
            )
        session.history = [
            _parameters(spec.to_dict() | dict(entry), limits, ("state", "history", n))
            for n, entry in enumerate(history)
        ]
        return session


def _count(value: object, loc: tuple[str | int, ...]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SpecError(loc, "must be a whole number ≥ 0")
    return value


def _parameters(
    raw: Mapping[str, Any], limits: Limits | None, loc: tuple[str | int, ...]
) -> Parameters:
    """Parameters checked by the spec rules (shapes, numbers), errors located under loc.

    Entries may be inf or nan: a diverged session is restored as it was (`to_document` keeps
    them), so the checks run on a stand-in with those entries as 0.
    """
    if raw.get("weights") is None:
        raise SpecError((*loc, "weights"), "the state needs the current weights")
    stand_in = {**raw, "weights": _finite(raw["weights"]), "biases": _finite(raw.get("biases"))}
    try:
        spec = build_spec(stand_in, limits)
    except SpecError as error:
        raise SpecError((*loc, *error.loc), error.reason) from None
    if spec.bias and spec.biases is None:
        raise SpecError((*loc, "biases"), "the state needs the current biases")
    weights = tuple(np.array(w, dtype=np.float64) for w in raw["weights"])
    if spec.biases is None:
        return Parameters(weights, None)
    biases = tuple(np.array(b, dtype=np.float64).reshape(-1, 1) for b in raw["biases"])
    return Parameters(weights, biases)


def _finite(value: Any) -> Any:
    """`value` with every float that is not finite as 0.0, in lists at any depth."""
    if isinstance(value, float) and not math.isfinite(value):
        return 0.0
    if isinstance(value, list | tuple):
        if _all_finite_numbers(value):
            return value
        return [_finite(v) for v in value]
    return value


def _all_finite_numbers(values: list[Any] | tuple[Any, ...]) -> bool:
    """True for a list of Python floats and ints that are all finite (checked at C speed)."""
    if not set(map(type, values)) <= {float, int}:
        return False
    try:
        return all(map(math.isfinite, values))
    except OverflowError:  # an int beyond float64: left to the checks that name it
        return False
