"""Colours as CSS computes them, and WCAG's contrast ratio between two of them."""

from __future__ import annotations

import re


def rgb(css: str) -> tuple[float, float, float]:
    """A CSS colour such as rgb(146, 64, 14) or rgba(…) (alpha ignored) as 0–255 channels."""
    channels = re.findall(r"[\d.]+", css)
    if len(channels) < 3:
        raise ValueError(f"not an rgb() colour: {css!r}")
    r, g, b = (float(c) for c in channels[:3])
    return r, g, b


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two CSS colours, from 1 to 21."""
    high, low = sorted((luminance(rgb(a)), luminance(rgb(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)
