"""Exports of the iteration a session (or a view of it) shows: the whole trace as JSON, CSV or
NumPy .npz, and any matrix as a LaTeX `bmatrix` for a handout."""

import io
import math
from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response

from app import engine, schemas
from app.store import SessionStore

from . import answers
from .deps import StoreDep
from .errors import INVALID, NOT_FOUND
from .notation import Notation, NotationDep
from .sessions import SessionId
from .views import VIEW_NOT_FOUND, viewed_session

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


Documented = dict[int | str, dict[str, Any]]
"""Answers of a route as its `responses` documents them."""

Writer = Callable[[engine.Trace], str | bytes]
"""Writes every tensor of an iteration into one file's content."""


def _text(media_type: str, description: str) -> Documented:
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


# --- the same four exports under a session and under a view of it ---------------------------


async def session_of_path(session_id: SessionId) -> str:
    """The session a path under /api/sessions/{session_id} names."""
    return session_id


def _download(content: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def add_exports(
    prefix: str,
    owner: Callable[..., Any],
    not_found: Documented,
    names: str,
    whose: str,
) -> None:
    """Adds the exports of the iteration shown by the session `owner` finds (from the path's
    id) under `prefix`: routes named `export_{names}trace_json` and so on, documented as
    exports of `whose` iteration.

    The routes' annotations name `owner`, so they are read as the functions are made: this
    module does not postpone annotations (no `from __future__ import annotations`).
    """
    Owner = Annotated[str, Depends(owner)]

    def shown(store: SessionStore, session_id: str, notation: Notation) -> tuple[engine.Trace, int]:
        """The iteration the session shows, in the notation asked, and its number (from 1)."""
        with store.read(session_id) as session:
            notation.check(session.network)
            trace, iteration = shown_trace(session)
            return notation.trace(session.network, trace), iteration

    @router.get(
        f"{prefix}/export/trace.json",
        name=f"export_{names}trace_json",
        description=f"The iteration {whose} shows: its steps and every tensor, as POST "
        "/api/trace gives.",
        response_model=schemas.Trace,
        responses=not_found,
    )
    def trace_json(session_id: Owner, notation: NotationDep, store: StoreDep) -> Response:
        trace, _ = shown(store, session_id, notation)
        return answers.respond(answers.trace(trace, "json"))

    def add_table(
        extension: str, media_type: str, ok: Documented, write: Writer, form: str
    ) -> None:
        @router.get(
            f"{prefix}/export/trace.{extension}",
            name=f"export_{names}trace_{extension}",
            description=f"Every tensor of the iteration {whose} shows, {form}.",
            response_class=Response,
            responses=not_found | ok,
        )
        def trace_table(session_id: Owner, notation: NotationDep, store: StoreDep) -> Response:
            trace, iteration = shown(store, session_id, notation)
            filename = f"trace-iteration-{iteration}.{extension}"
            return _download(write(trace), media_type, filename)

    add_table("csv", CSV, CSV_OK, trace_csv, "as one long CSV table")
    add_table("npz", NPZ, NPZ_OK, trace_npz, "as a NumPy .npz archive")

    @router.get(
        f"{prefix}/tensors/{{name}}/latex",
        name=f"export_{names}tensor_latex",
        description=f"One matrix of the iteration {whose} shows as a LaTeX `bmatrix` with its "
        "numbers.",
        response_class=Response,
        responses=not_found | TEX_OK,
    )
    def tensor_latex(
        session_id: Owner,
        name: TensorName,
        notation: NotationDep,
        store: StoreDep,
        digits: Digits = 3,
    ) -> Response:
        trace, iteration = shown(store, session_id, notation)
        tensor = trace.tensors.get(name)
        if tensor is None:
            known = ", ".join(trace.tensors)
            raise HTTPException(
                404, f"no tensor named {name!r} in this iteration; there are {known}"
            )
        return _download(latex_matrix(tensor, digits), TEX, f"{name}-iteration-{iteration}.tex")


add_exports("/api/sessions/{session_id}", session_of_path, NOT_FOUND, "", "the session")
add_exports("/api/views/{view_id}", viewed_session, VIEW_NOT_FOUND, "view_", "a read-only view")
