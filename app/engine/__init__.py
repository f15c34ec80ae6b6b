"""The backprop engine: pure numpy, no web code. Build a network, trace an iteration, train it."""

from __future__ import annotations

from .activations import ACTIVATIONS, Activation, LayerActivation
from .boundary import DecisionGrid, decision_grid
from .embedding import (
    affine_blocks,
    embedded_trace,
    embedded_weights,
    parameters_of,
    to_affine,
    to_homogeneous,
)
from .errors import SpecError
from .explain import Explanation, Factor, explain_entry
from .formulas import Formula, Notation
from .gradients import (
    GRADIENT_FORMS,
    GradientComparison,
    compare_gradient_forms,
    diagonal_chain_gradient,
    finite_difference_gradient,
    hadamard_chain_gradient,
    recursive_gradient,
    relative_difference,
)
from .network import BackwardPass, ForwardPass, Gradient, Network, Parameters
from .objectives import OBJECTIVES, Objective, ObjectiveValue, softmax
from .presets import Preset, preset, presets
from .session import CannotMove, Session
from .spec import (
    DISTRIBUTION_TOLERANCE,
    INITIALISATIONS,
    Limits,
    NetworkSpec,
    build_spec,
    parameter_count,
)
from .trace import (
    FORMAL_ROW_REASON,
    PHASES,
    Entries,
    Step,
    SubStep,
    Tensor,
    Trace,
    notate,
    row_convention,
    step_count,
    trace_context,
    trace_iteration,
)
from .training import (
    IterationRecord,
    TrainingResult,
    sgd_step,
    train,
    training_iterations,
)

__all__ = [
    "ACTIVATIONS",
    "DISTRIBUTION_TOLERANCE",
    "FORMAL_ROW_REASON",
    "GRADIENT_FORMS",
    "INITIALISATIONS",
    "OBJECTIVES",
    "PHASES",
    "Activation",
    "BackwardPass",
    "CannotMove",
    "DecisionGrid",
    "Entries",
    "IterationRecord",
    "Explanation",
    "Factor",
    "ForwardPass",
    "Formula",
    "Gradient",
    "GradientComparison",
    "LayerActivation",
    "Limits",
    "Network",
    "Notation",
    "NetworkSpec",
    "Objective",
    "ObjectiveValue",
    "Parameters",
    "Preset",
    "Session",
    "SpecError",
    "Step",
    "SubStep",
    "Tensor",
    "Trace",
    "TrainingResult",
    "affine_blocks",
    "build_spec",
    "compare_gradient_forms",
    "decision_grid",
    "embedded_trace",
    "embedded_weights",
    "diagonal_chain_gradient",
    "explain_entry",
    "finite_difference_gradient",
    "hadamard_chain_gradient",
    "parameter_count",
    "notate",
    "parameters_of",
    "preset",
    "presets",
    "recursive_gradient",
    "relative_difference",
    "row_convention",
    "sgd_step",
    "softmax",
    "step_count",
    "to_affine",
    "trace_context",
    "to_homogeneous",
    "trace_iteration",
    "train",
    "training_iterations",
]
