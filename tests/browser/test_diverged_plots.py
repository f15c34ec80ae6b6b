"""A diverged run stays readable in the training plots: what is not finite is left out (and
said so), and the value axes keep a few ticks where ~300 labels piled into a black blob."""

from __future__ import annotations

import math

import httpx
import pytest
from playwright.sync_api import Page, expect

from .axe import Axe
from .test_stepping_page import open_session, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

DIVERGING = {
    "layers": [1, 1, 1],
    "activations": ["identity", "identity"],
    "inputs": [[10]],
    "targets": [[0]],
    "learning_rate": 1,
}
"""Each update multiplies the weights by about 100: J passes 1e250, then is not finite."""

# Each plot's value-axis tick labels, and every y value Plotly was given to draw.
PLOTTED = """() => ['train-loss', 'train-norms'].map(id => {
  const plot = document.getElementById(id);
  return {
    id,
    ticks: plot.querySelectorAll('.ytick').length,
    ys: plot.data.flatMap(trace => trace.y).filter(y => y !== null),
  };
})"""


def test_a_diverged_run_is_drawn_without_its_non_finite_points_and_with_few_ticks(
    page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    session_id = open_session(page, server_url, api, DIVERGING)
    page.fill("#train-iterations", "300")
    page.click("#train-run")
    expect(page.locator("#train-progress-text")).to_have_text("300 / 300", timeout=60_000)
    expect(page.locator("#train-panel")).to_have_attribute("data-training", "false")
    wait_idle(page)

    losses = api.get(f"/api/sessions/{session_id}").json()["losses"]
    finite = [float(j) for j in losses if isinstance(j, int | float)]
    assert max(finite) > 1e250 and len(finite) < len(losses)  # diverged: huge, then not finite
    page.wait_for_function(
        "() => ['train-loss', 'train-norms'].every(id => document.getElementById(id).data)"
    )
    for plot in page.evaluate(PLOTTED):
        assert 2 <= plot["ticks"] <= 10, plot["id"]
        assert plot["ys"] and all(math.isfinite(y) for y in plot["ys"]), plot["id"]
    expect(page.locator("#train-gaps")).to_have_text(
        f"J is not a finite number at {len(losses) - len(finite)} of the {len(losses)} "
        "iterations (the run diverged): they are left out of the plots. Lower the learning rate "
        "and apply."
    )
    axe.check(page, "training done, diverged")
