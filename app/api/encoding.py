"""How the entries of tensors go out: nested JSON lists, or typed arrays when asked.

Every endpoint that answers with tensors (POST /api/trace and the session moves) takes
`encoding`. The typed arrays are Plotly's `{"dtype": "f8", "bdata", "shape"}`: about 1.33× the
raw float64 bytes against about 2.7× for the lists, and quicker to make and to read. Such an
answer is not compressed (see app/compression.py): base64 of float64 hardly compresses.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from app.schemas import Encoding

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
