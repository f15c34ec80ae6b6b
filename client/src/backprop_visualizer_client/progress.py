"""A progress bar for streamed training: tqdm's widget in a notebook (with ipywidgets), its text
bar in a terminal; nothing when tqdm is not installed and no bar was asked for."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

__all__ = ["Bar", "progress_bar"]


class Bar(Protocol):
    """What training tells a bar: how many iterations are done, and the last J."""

    def advance(self, done: int, loss: float | None) -> None: ...


class _Silent:
    def advance(self, done: int, loss: float | None) -> None:
        pass


class _Tqdm:
    def __init__(self, bar: Any) -> None:
        self._bar = bar

    def advance(self, done: int, loss: float | None) -> None:
        self._bar.update(done - self._bar.n)
        if loss is not None:
            self._bar.set_postfix_str(f"J = {loss:.4g}", refresh=False)


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (not a terminal IPython)."""
    shell = sys.modules.get("IPython")
    get_ipython = getattr(shell, "get_ipython", None)
    return get_ipython is not None and "IPKernelApp" in getattr(get_ipython(), "config", {})


def _tqdm_class() -> Any:
    """tqdm's notebook bar inside a kernel where ipywidgets is installed, else its text bar."""
    if _in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm as notebook_tqdm
        except ImportError:
            pass
        else:
            return notebook_tqdm
    from tqdm import tqdm

    return tqdm


@contextmanager
def progress_bar(total: int, *, enabled: bool | None) -> Iterator[Bar]:
    """A bar over `total` iterations: shown when `enabled`, or when tqdm is installed and
    `enabled` is None; ImportError saying what to install when asked for without tqdm."""
    if enabled is False:
        yield _Silent()
        return
    try:
        tqdm = _tqdm_class()
    except ImportError:
        if enabled:
            raise ImportError(
                "a progress bar needs tqdm: pip install 'backprop-visualizer-client[progress]'"
            ) from None
        yield _Silent()
        return
    bar = tqdm(total=total, unit="it", desc="Training")
    try:
        yield _Tqdm(bar)
    finally:
        bar.close()
