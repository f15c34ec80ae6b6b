"""How the entries of tensors go out: nested JSON lists, or typed arrays when asked.

Every endpoint that answers with tensors (POST /api/trace and the session moves) takes
`encoding`. The typed arrays are Plotly's `{"dtype": "f8", "bdata", "shape"}`: about 1.33× the
raw float64 bytes against about 2.7× for the lists, and quicker to make and to read. Such an
answer is not gzipped (see app/compression.py): base64 of float64 hardly compresses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Annotated

from fastapi import Depends, Query, Response
from pydantic import BaseModel
from starlette.types import Receive, Scope, Send

from app.schemas import Encoding, json_pieces

JSON = "application/json"
PIECES_MINIMUM_BYTES = 1024 * 1024
"""A typed-array answer this large goes out in pieces (see `encoded`)."""
LARGE_PIECE_BYTES = 256 * 1024
"""A piece this large is a message of its own; smaller ones are gathered up to this size."""

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
    answer: BaseModel | list[bytes],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    encoding: Encoding = "json",
) -> Response:
    """The answer as its JSON, written here, in the handler's worker thread: FastAPI would
    otherwise hand a returned model to another worker thread to check it (ours are made, not
    parsed) before writing it; and its tensors are written faster (`schemas.dump_json`).

    A large typed-array answer (which goes out uncompressed) is sent in its pieces, each
    megabyte of base64 as it was made; any other answer is one body. An answer may come
    written already, in pieces (see app/step_json.py)."""
    pieces = answer if isinstance(answer, list) else json_pieces(answer)
    length = sum(map(len, pieces))
    if encoding == "binary" and length >= PIECES_MINIMUM_BYTES:
        return PiecesResponse(pieces, length, status_code=status_code, headers=headers)
    body = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    return Response(body, status_code=status_code, headers=headers, media_type=JSON)


class PiecesResponse(Response):
    """A JSON answer sent as several body messages of one known length: its small pieces
    gathered, its large ones (typed arrays' base64) sent as they are."""

    media_type = JSON

    def __init__(
        self,
        pieces: list[bytes],
        length: int,
        *,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.pieces = pieces
        super().__init__(b"", status_code=status_code, headers=headers)
        self.headers["content-length"] = str(length)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        for chunk in _chunks(self.pieces):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def _chunks(pieces: list[bytes]) -> Iterator[bytes]:
    """The pieces with the small ones gathered, so that few messages are sent."""
    gathered: list[bytes] = []
    size = 0
    for piece in pieces:
        if len(piece) >= LARGE_PIECE_BYTES:
            if gathered:
                yield b"".join(gathered)
                gathered, size = [], 0
            yield piece
        else:
            gathered.append(piece)
            size += len(piece)
            if size >= LARGE_PIECE_BYTES:
                yield b"".join(gathered)
                gathered, size = [], 0
    if gathered:
        yield b"".join(gathered)
