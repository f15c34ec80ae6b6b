"""The one exception the engine raises for a spec it cannot build."""

from __future__ import annotations

Location = tuple[str | int, ...]


class SpecError(ValueError):
    """A bad network spec: `loc` names the field (e.g. ("inputs", 2, 0)), `reason` says why."""

    def __init__(self, loc: Location | str, reason: str) -> None:
        self.loc: Location = (loc,) if isinstance(loc, str) else tuple(loc)
        self.reason = reason
        super().__init__(f"{self.field}: {reason}")

    @property
    def field(self) -> str:
        """The field as a dotted path, e.g. "inputs.2.0"."""
        return ".".join(str(part) for part in self.loc)
