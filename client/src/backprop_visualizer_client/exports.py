"""The iteration a session (or a followed one) shows, exported: trace.json as arrays, CSV,
.npz and one matrix's LaTeX, in the notation asked for (see Client)."""

from __future__ import annotations

import io

import numpy as np

from .arrays import FloatArray
from .results import TraceResult
from .session_transport import Convention, SessionTransport, View


class ExportCalls(SessionTransport):
    """The client's exports."""

    def export_trace(
        self,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> TraceResult:
        """The iteration the session (or a followed one) shows, every tensor an array, in the
        notation asked for (as the page's downloads are in the notation on screen)."""
        params = self._notation(convention, view, tensors=False)
        return TraceResult.from_json(
            self._json("GET", self._source(view_id) + "/export/trace.json", params=params),
            convention=params["convention"],
            view=params["view"],
        )

    def export_csv(
        self,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> str:
        """The iteration shown as one CSV table `tensor,row,col,value` (rows and columns from 1),
        in the notation asked for."""
        params = self._notation(convention, view, tensors=False)
        return self._send("GET", self._source(view_id) + "/export/trace.csv", params=params).text

    def export_npz(
        self,
        *,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> dict[str, FloatArray]:
        """The iteration shown as NumPy's .npz, read straight into arrays by name, in the
        notation asked for."""
        params = self._notation(convention, view, tensors=False)
        path = self._source(view_id) + "/export/trace.npz"
        content = self._send("GET", path, params=params).content
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            return {name: np.asarray(archive[name], dtype=np.float64) for name in archive.files}

    def tensor_latex(
        self,
        name: str,
        *,
        digits: int = 3,
        view_id: str | None = None,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> str:
        """One matrix of the iteration shown as a LaTeX `bmatrix` with `digits` significant
        digits, for a handout, in the notation asked for (`W1` is W₁ᵀ's numbers in the row
        convention)."""
        path = self._source(view_id) + f"/tensors/{name}/latex"
        params: dict[str, str | int] = {"digits": digits}
        params |= self._notation(convention, view, tensors=False)
        return self._send("GET", path, params=params).text
