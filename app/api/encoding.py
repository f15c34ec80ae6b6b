"""How the entries of tensors go out: nested JSON lists, or typed arrays when asked.

Every endpoint that answers with tensors (POST /api/trace and the session moves) takes
`encoding`. The typed arrays are Plotly's `{"dtype": "f8", "bdata", "shape"}`: about 1.33× the
raw float64 bytes against about 2.7× for the lists, and quicker to make and to read. Such an
answer is not gzipped (see app/compression.py): base64 of float64 hardly compresses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import Depends, Query, Response
from pydantic import BaseModel

from app.schemas import Encoding, dump_json

BINARY_QUERY = b"encoding=binary"
"""The query parameter that asks for typed arrays, as it stands in a query string."""


async def encoding(
    encoding: Annotated[
        Encoding,
        Query(
            description="`json` (default): each tensor's `data` as nested lists of numbers. "
            '`binary`: as a typed array `{"dtype": "f8", "bdata": base64, "shape": "r, c"}` '
            "(little-endian float64, row-major) that Plotly.js draws as it is and NumPy "
            'reads with `np.frombuffer(base64.b64decode(bdata), "<f8").reshape(shape)`.',
        ),
    ] = "json",
) -> Encoding:
    """The encoding a request asks for."""
    return encoding


EncodingDep = Annotated[Encoding, Depends(encoding)]


def encoded(
    answer: BaseModel, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """The answer as its JSON, written here, in the handler's worker thread: FastAPI would
    otherwise hand a returned model to another worker thread to check it (ours are made, not
    parsed) before writing it; and its tensors are written faster (`schemas.dump_json`)."""
    return Response(
        dump_json(answer), status_code=status_code, headers=headers, media_type="application/json"
    )
