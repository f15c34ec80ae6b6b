"""The widget (the `widget` extra): its buttons move the session on the server and it draws the
step shown; a refusal is said, not raised into the notebook."""

from __future__ import annotations

from typing import Any

from backprop_visualizer_client import Client
from backprop_visualizer_client.widget import STATIC, SessionWidget


def press(widget: SessionWidget, action: str) -> None:
    """What the front end sends when a button is pressed."""
    widget._on_message(widget, {"action": action}, [])


def test_step_and_back_move_the_session_and_redraw_the_step(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    widget = api.widget()

    assert isinstance(widget, SessionWidget)
    assert (widget.cursor, widget.html) == (0, "")
    assert widget.where == "Iteration 1, before its first step"
    press(widget, "step")
    press(widget, "step")
    assert api.session().position.cursor == widget.cursor == 2
    assert widget.where == "Iteration 1, step 2 of 6: Forward, layer 2"
    assert 'data-tensor="Sigma2"' in widget.html and "<svg" in widget.html
    press(widget, "back")
    assert api.session().position.cursor == widget.cursor == 1


def test_a_move_the_session_cannot_make_is_said_in_the_widget(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    widget = api.widget()

    press(widget, "back")

    assert "start" in widget.message
    assert api.session().position.cursor == 0


def test_the_update_is_shown_as_the_end_of_the_iteration_it_finished(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    api.goto(5)
    widget = api.widget()

    press(widget, "step")

    assert widget.where == "Iteration 1, step 6 of 6: Update, η = 2"
    assert widget.iteration == 2 and widget.cursor == 0


def test_its_front_end_code_and_style_ship_in_the_package() -> None:
    script = (STATIC / "widget.js").read_text()

    assert "export default { render }" in script
    assert "http" not in script and "import " not in script  # nothing fetched, no CDN
    assert (STATIC / "widget.css").is_file()
