"""Backprop Visualizer from Python: the whole REST API, every tensor a float64 NumPy array, and
each step drawn inline in Jupyter.

    >>> from backprop_visualizer_client import Client
    >>> api = Client()                     # BACKPROP_VISUALIZER_URL, else http://127.0.0.1:8000
    >>> api.create_session(api.preset("xor"))
    >>> api.goto(4)                        # backward, layer 2: drawn as its equation view
"""

__version__ = "0.1.0"

from .arrays import FloatArray, to_array  # noqa: E402
from .assignments import AssignmentWork, Submission, Task, TaskStanding  # noqa: E402
from .client import DEFAULT_URL, URL_VARIABLE, Client, Convention, Encoding, View  # noqa: E402
from .errors import (  # noqa: E402
    ApiError,
    Conflict,
    IncompatibleServer,
    Invalid,
    NotFound,
    Problem,
    ServerUnavailable,
    ServerUnreachable,
    TooLarge,
)
from .results import (  # noqa: E402
    Boundary,
    Check,
    Explanation,
    GradientForm,
    GradientForms,
    Position,
    SessionState,
    StepResult,
    Tensor,
    TraceResult,
    Training,
    TrainProgress,
)
from .rooms import RoomLink, RoomState, ViewLink  # noqa: E402

__all__ = [
    "DEFAULT_URL",
    "URL_VARIABLE",
    "ApiError",
    "AssignmentWork",
    "Boundary",
    "Check",
    "Client",
    "Conflict",
    "Convention",
    "Encoding",
    "Explanation",
    "FloatArray",
    "GradientForm",
    "GradientForms",
    "IncompatibleServer",
    "Invalid",
    "NotFound",
    "Position",
    "Problem",
    "ServerUnavailable",
    "ServerUnreachable",
    "SessionState",
    "StepResult",
    "Submission",
    "Task",
    "TaskStanding",
    "Tensor",
    "TooLarge",
    "TraceResult",
    "TrainProgress",
    "Training",
    "View",
    "RoomLink",
    "RoomState",
    "ViewLink",
    "__version__",
    "to_array",
]
