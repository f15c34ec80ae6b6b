"""The JSON of answers with tensors, written straight from the engine's records.

A session move (step, back, goto, current, steps/n) answers with a `MoveAnswer` (or its
`StepWithTensors`), POST /api/trace with a `Trace`. Making those models and having pydantic
write them took longer than the step itself; here the same bytes are put together from pieces
made once: a step record's fields (the engine reuses its records, iteration after iteration)
and each tensor's entries (a kept trace's arrays never change, and the next steps show most of
them again: the forward step's results are the next one's operands, and the update shows
nearly all of them). The models stay the contract and its documentation; tests hold this
writer to their bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import orjson
from pydantic import TypeAdapter

from app import engine
from app.identity_cache import IdentityCache
from app.schemas import (
    Encoding,
    FloatArray,
    JsonFloat,
    Step,
    encode_float,
    entries_json,
    position_fields,
)

DATA_CACHE_BYTES = 16 * 1024 * 1024
"""What the kept JSON of tensors' entries may take in all, per process (a step of a 3-layer
32-wide network with a batch of 16 writes ~60 kB of them)."""

Pieces = list[bytes]
"""An answer's JSON in the pieces it is made of, to be joined once (or sent as they are)."""

_skeletons: IdentityCache[bytes] = IdentityCache()
"""A step record's JSON without its tensors and closing brace, by record and step count."""

_entries: IdentityCache[tuple[bytes, ...]] = IdentityCache(
    max_bytes=DATA_CACHE_BYTES, size=lambda pieces: sum(map(len, pieces))
)
"""A frozen array's entries as a tensor's `data`, by array and encoding."""


def move_answer(
    session_id: str,
    session: engine.Session,
    shown: tuple[engine.Step, engine.Trace] | None,
    encoding: Encoding = "json",
    *,
    read_only: bool = False,
) -> Pieces:
    """`MoveAnswer.from_engine(session_id, session, shown, encoding)` as JSON (StepAnswer's
    too: the same fields, its step never null); `read_only` as a view's followers get it."""
    position = orjson.dumps(position_fields(session_id, session) | {"read_only": read_only})
    pieces = [b'{"session":', position, b',"step":']
    if shown is None:
        pieces.append(b"null")
    else:
        pieces += step_with_tensors(*shown, encoding)
    pieces.append(b"}")
    return pieces


def step_with_tensors(step: engine.Step, trace: engine.Trace, encoding: Encoding) -> Pieces:
    """`StepWithTensors.from_engine(step, trace, encoding)` as JSON."""
    tensors = _tensors(trace.step_tensors(step.index), encoding, _data)
    return [_skeleton(step, trace), b',"tensors":', *tensors, b"}"]


def trace_answer(trace: engine.Trace, encoding: Encoding = "json") -> Pieces:
    """`Trace.from_engine(trace, encoding)` as JSON. Its entries are written, not kept: a
    one-shot trace's arrays go with its answer."""
    return [
        b'{"step_count":%d,"loss":' % len(trace.steps),
        _LOSS.dump_json(encode_float(trace.loss)),
        b',"steps":[',
        b",".join(_skeleton(step, trace) + b"}" for step in trace.steps),
        b'],"tensors":',
        *_tensors(trace.tensors, encoding, entries_json),
        b"}",
    ]


def _tensors(
    tensors: Mapping[str, engine.Tensor],
    encoding: Encoding,
    entries: Callable[[FloatArray, Encoding], tuple[bytes, ...]],
) -> Pieces:
    """A `tensors` object by name, each tensor's `data` written by `entries`."""
    pieces = [b"{"]
    separator = b""
    for name, tensor in tensors.items():
        pieces.append(separator + _tensor_head(name, tensor))
        pieces += entries(tensor.value, encoding)
        pieces.append(b"}")
        separator = b","
    pieces.append(b"}")
    return pieces


_LOSS: TypeAdapter[JsonFloat] = TypeAdapter(JsonFloat)
"""Writes J as `Trace.loss` does."""


def _tensor_head(name: str, tensor: engine.Tensor) -> bytes:
    """`"name":` and a `Tensor`'s fields up to where its `data` goes."""
    rows, cols = tensor.value.shape
    fields = {"name": tensor.name, "latex": tensor.latex, "shape": [rows, cols]}
    return orjson.dumps(name) + b":" + orjson.dumps(fields)[:-1] + b',"data":'


def _skeleton(step: engine.Step, trace: engine.Trace) -> bytes:
    """The step record's JSON up to where its tensors go."""
    of = len(trace.steps)
    found = _skeletons.get(step, of)
    if found is not None:
        return found
    written = Step.from_engine(step, trace).model_dump_json()
    return _skeletons.put(step, written[:-1].encode(), of)


def _data(value: FloatArray, encoding: Encoding) -> tuple[bytes, ...]:
    """A tensor's `data` as the model writes it, kept while `value` lives when it can no
    longer change."""
    frozen = _frozen(value)
    if frozen:
        found = _entries.get(value, encoding)
        if found is not None:
            return found
    written = entries_json(value, encoding)
    return _entries.put(value, written, encoding) if frozen else written


def _frozen(value: FloatArray) -> bool:
    """True when neither the array nor any array it is a view of can be written."""
    array: object = value
    while isinstance(array, np.ndarray):
        if array.flags.writeable:
            return False
        array = array.base
    return True
