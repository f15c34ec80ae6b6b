"""Exports of the iteration a session (or a view of it) shows: the whole trace as JSON, CSV or
NumPy .npz, and any matrix as a LaTeX `bmatrix` for a handout."""

from __future__ import annotations

import io
import math
from typing import Annotated, Any

import numpy as np
import orjson
from fastapi import APIRouter, HTTPException, Path, Query, Response

from app import engine, schemas
from app.store import SessionStore

from . import answers
from .deps import StoreDep
from .errors import INVALID, NOT_FOUND
from .sessions import SessionId
from .views import VIEW_NOT_FOUND, ViewedSession, ViewId

router = APIRouter(tags=["exports"], responses=INVALID)

CSV = "text/csv; charset=utf-8"
NPZ = "application/octet-stream"
TEX = "text/plain; charset=utf-8"

TensorName = Annotated[
    str,
    Path(
        description="A tensor of the iteration: X, Y, W{i}, b{i}, N{i}, Sigma{i}, "
        "SigmaPrime{i}, P, J, G, Delta{i}, WTDelta{i}, gradW{i}, gradb{i}, W{i}_new, b{i}_new.",
        examples=["Delta2"],
    ),
]
Digits = Annotated[
    int, Query(ge=1, le=17, description="Significant digits of each entry.", examples=[3])
]


def _text(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    schema = {"type": "string", "format": "binary"} if media_type == NPZ else {"type": "string"}
    return {
        200: {"description": description, "content": {media_type.split(";")[0]: {"schema": schema}}}
    }


CSV_OK = _text(CSV, "One long table `tensor,row,col,value`, rows and columns from 1.")
NPZ_OK = _text(NPZ, "`np.savez` of every tensor by name (no pickles): `np.load(f)['Delta2']`.")
TEX_OK = _text(TEX, "`\\Delta_{2} = \\begin{bmatrix} … \\end{bmatrix}` with the numbers.")


# --- formats -----------------------------------------------------------------------------------


def shown_trace(session: engine.Session) -> tuple[engine.Trace, int]:
    """The trace of the iteration the session shows, and that iteration's 1-based number:
    right after an update it is the iteration that update finished."""
    shown = session.current()
    if shown is not None and session.cursor == 0:
        return shown[1], session.iteration
    return (shown[1] if shown else session.trace()), session.iteration + 1


def trace_csv(trace: engine.Trace) -> str:
    """Every tensor as rows `tensor,row,col,value` (1-based); `inf`, `-inf`, `nan` spelt so.

    Finite values are written by orjson (the shortest text that reads back as the same
    float64, as `repr` writes it but for the exponent's form: 0.00001 for 1e-05), a row of a
    tensor at a time: three times as fast as a line at a time with `repr`.
    """
    parts = ["tensor,row,col,value\n"]
    for name, tensor in trace.tensors.items():
        flat = tensor.value.ravel()
        if np.isfinite(flat).all():
            numbers = orjson.dumps(flat, option=orjson.OPT_SERIALIZE_NUMPY)
            values = numbers[1:-1].decode().split(",")
        else:
            values = [repr(v) for v in flat.tolist()]
        rows, cols = tensor.value.shape
        columns = [f",{c + 1}," for c in range(cols)]
        for r in range(rows):
            head = f"{name},{r + 1}"
            row = values[r * cols : (r + 1) * cols]
            parts.append("".join([head + c + v + "\n" for c, v in zip(columns, row, strict=True)]))
    return "".join(parts)


def trace_npz(trace: engine.Trace) -> bytes:
    """Every tensor as a float64 array under its name, in NumPy's .npz format."""
    buffer = io.BytesIO()
    arrays: dict[str, Any] = {name: t.value for name, t in trace.tensors.items()}
    np.savez(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def latex_number(value: float, digits: int) -> str:
    """`value` with `digits` significant digits, in LaTeX: `-0.125`, `1.5 \\times 10^{-4}`."""
    if math.isnan(value):
        return r"\mathrm{NaN}"
    if math.isinf(value):
        return r"\infty" if value > 0 else r"-\infty"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return "0" if float(text) == 0 else text


def latex_matrix(tensor: engine.Tensor, digits: int) -> str:
    """`symbol = \\begin{bmatrix} … \\end{bmatrix}`, rows as on paper."""
    rows, cols = tensor.value.shape
    body = " \\\\\n".join(
        "  " + " & ".join(latex_number(float(v), digits) for v in row) for row in tensor.value
    )
    lines = [f"% {tensor.name}, {rows} x {cols}, {digits} significant digits (amsmath)"]
    if cols > 10:
        lines.append(f"\\setcounter{{MaxMatrixCols}}{{{cols}}}")
    lines += [f"{tensor.latex} = \\begin{{bmatrix}}", body, "\\end{bmatrix}"]
    return "\n".join(lines) + "\n"


# --- one implementation for sessions and views ----------------------------------------------


def _with_trace(store: SessionStore, session_id: str) -> tuple[engine.Trace, int]:
    with store.read(session_id) as session:
        return shown_trace(session)


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _json(store: SessionStore, session_id: str) -> Response:
    trace, _ = _with_trace(store, session_id)
    return answers.respond(answers.trace(trace, "json"))


def _csv(store: SessionStore, session_id: str) -> Response:
    trace, iteration = _with_trace(store, session_id)
    return _download(trace_csv(trace), CSV, f"trace-iteration-{iteration}.csv")


def _npz(store: SessionStore, session_id: str) -> Response:
    trace, iteration = _with_trace(store, session_id)
    return _download(trace_npz(trace), NPZ, f"trace-iteration-{iteration}.npz")


def _latex(store: SessionStore, session_id: str, name: str, digits: int) -> Response:
    trace, iteration = _with_trace(store, session_id)
    tensor = trace.tensors.get(name)
    if tensor is None:
        known = ", ".join(trace.tensors)
        raise HTTPException(404, f"no tensor named {name!r} in this iteration; there are {known}")
    return _download(latex_matrix(tensor, digits), TEX, f"{name}-iteration-{iteration}.tex")


# --- routes ------------------------------------------------------------------------------------


@router.get(
    "/api/sessions/{session_id}/export/trace.json",
    response_model=schemas.Trace,
    responses=NOT_FOUND,
)
def export_trace_json(session_id: SessionId, store: StoreDep) -> Response:
    """The iteration the session shows: its steps and every tensor, as POST /api/trace gives."""
    return _json(store, session_id)


@router.get(
    "/api/sessions/{session_id}/export/trace.csv",
    response_class=Response,
    responses=NOT_FOUND | CSV_OK,
)
def export_trace_csv(session_id: SessionId, store: StoreDep) -> Response:
    """Every tensor of the iteration the session shows, as one long CSV table."""
    return _csv(store, session_id)


@router.get(
    "/api/sessions/{session_id}/export/trace.npz",
    response_class=Response,
    responses=NOT_FOUND | NPZ_OK,
)
def export_trace_npz(session_id: SessionId, store: StoreDep) -> Response:
    """Every tensor of the iteration the session shows, as a NumPy .npz archive."""
    return _npz(store, session_id)


@router.get(
    "/api/sessions/{session_id}/tensors/{name}/latex",
    response_class=Response,
    responses=NOT_FOUND | TEX_OK,
)
def export_tensor_latex(
    session_id: SessionId, name: TensorName, store: StoreDep, digits: Digits = 3
) -> Response:
    """One matrix of the iteration the session shows as a LaTeX `bmatrix` with its numbers."""
    return _latex(store, session_id, name, digits)


@router.get(
    "/api/views/{view_id}/export/trace.json",
    response_model=schemas.Trace,
    responses=VIEW_NOT_FOUND,
)
def export_view_trace_json(view_id: ViewId, session_id: ViewedSession, store: StoreDep) -> Response:
    """As the session's trace.json, for a read-only view."""
    return _json(store, session_id)


@router.get(
    "/api/views/{view_id}/export/trace.csv",
    response_class=Response,
    responses=VIEW_NOT_FOUND | CSV_OK,
)
def export_view_trace_csv(view_id: ViewId, session_id: ViewedSession, store: StoreDep) -> Response:
    """As the session's trace.csv, for a read-only view."""
    return _csv(store, session_id)


@router.get(
    "/api/views/{view_id}/export/trace.npz",
    response_class=Response,
    responses=VIEW_NOT_FOUND | NPZ_OK,
)
def export_view_trace_npz(view_id: ViewId, session_id: ViewedSession, store: StoreDep) -> Response:
    """As the session's trace.npz, for a read-only view."""
    return _npz(store, session_id)


@router.get(
    "/api/views/{view_id}/tensors/{name}/latex",
    response_class=Response,
    responses=VIEW_NOT_FOUND | TEX_OK,
)
def export_view_tensor_latex(
    view_id: ViewId,
    session_id: ViewedSession,
    name: TensorName,
    store: StoreDep,
    digits: Digits = 3,
) -> Response:
    """As the session's LaTeX of a matrix, for a read-only view."""
    return _latex(store, session_id, name, digits)
