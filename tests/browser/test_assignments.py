"""A whole assignment in Chromium against the real server: a lecturer sets it on the page, two
students join (each in a browser of their own), step their own networks and submit with the
keyboard, one opens her work on another device, the lecturer watches the table, downloads the
gradebook, closes the assignment and reveals the solutions. No token reaches the server's log."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from app import engine
from devtools.server import local_server

from .axe import Axe
from .test_stepping_page import open_page

pytestmark = [pytest.mark.browser, pytest.mark.server]

PROJECTOR = {"width": 1280, "height": 720}
SMALL = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real app with its access log on (what a server's operator reads), and the log."""
    log = tmp_path_factory.mktemp("assignments") / "uvicorn.log"
    with local_server(log=log, log_level="info", env={"SUBMISSIONS_PER_MINUTE": "60"}) as server:
        yield server.url, log


class People:
    """A browser context (cookies, storage: a device) per person, each page checked for
    script errors at the end."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def device(self, viewport: dict[str, int] = PROJECTOR) -> Page:
        context = self.browser.new_context(viewport=viewport, accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def people(browser: Browser) -> Iterator[People]:
    crowd = People(browser)
    yield crowd
    crowd.close()
    assert crowd.errors == [], "a page raised script errors"


def idle(page: Page) -> None:
    page.locator("body[data-ready=true][data-busy=false]").wait_for(state="attached")


def token_of(link: str, name: str) -> str:
    return urlsplit(link).fragment.removeprefix(f"{name}=")


def expected(network: dict[str, Any], tensor: str) -> np.ndarray:
    """The values a student computes by hand (here, by the engine, from their own network)."""
    return engine.Session.create(network).trace().tensors[tensor].value


def my_network(url: str, personal_link: str) -> dict[str, Any]:
    """The student's network as their own script reads it, with their own token."""
    assignment_id = urlsplit(personal_link).path.rsplit("/", 1)[1]
    token = token_of(personal_link, "student")
    answer = httpx.get(
        f"{url}/api/assignments/{assignment_id}/work",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200
    return dict(answer.json()["network"])


def type_answer(page: Page, tensor: str, values: np.ndarray) -> None:
    """Types a matrix into the answer grid of `tensor`, then Enter: the keyboard only."""
    cells = page.locator(f'.answer[data-tensor="{tensor}"] .answer-cell')
    assert cells.count() == values.size
    for i, value in enumerate(values.ravel()):
        cells.nth(i).fill(f"{value:.6g}")
    cells.nth(values.size - 1).press("Enter")
    idle(page)


def verdict(page: Page, tensor: str) -> str:
    return page.locator(f'.answer[data-tensor="{tensor}"] .answer-verdict').inner_text()


def set_assignment(people: People, url: str) -> tuple[str, str]:
    """The lecturer sets the assignment on the page; returns the student and lecturer links."""
    lecturer = people.device()
    open_page(lecturer, f"{url}/assignments/new")
    lecturer.fill("#title", "Week 3, by hand")
    lecturer.fill("#layers", "2, 3, 1")
    lecturer.fill("#activations", "tanh, sigmoid")
    lecturer.fill("#batch", "2")
    lecturer.locator('#task-choices input[value="gradW1"]').check()
    expect(lecturer.locator('#task-choices input[value="Delta2"]')).to_be_checked()
    lecturer.fill("#attempts", "3")
    lecturer.click("#create")
    expect(lecturer.locator("#created")).to_be_visible()
    student_link = lecturer.input_value("#new-student-link")
    lecturer_link = lecturer.input_value("#new-lecturer-link")
    assert re.fullmatch(rf"{url}/assignments/[\w-]+", student_link)
    assert lecturer_link.startswith(f"{student_link}/lecturer#token=")
    return student_link, lecturer_link


def join(page: Page, student_link: str, name: str, number: str) -> str:
    """A student joins with the keyboard alone; returns their personal link."""
    open_page(page, student_link)
    expect(page.locator("#join-name")).to_be_focused()
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(number)
    page.keyboard.press("Enter")
    expect(page.locator("#work")).to_be_visible()
    idle(page)
    expect(page.locator("#link-fresh")).to_be_visible()
    return page.input_value("#personal-link")


def test_one_lecturer_and_two_students_through_a_whole_assignment(
    people: People, served: tuple[str, Path], axe: Axe
) -> None:
    url, log = served
    student_link, lecturer_link = set_assignment(people, url)

    # Ada joins, steps to Δ₂ with her tasks list, answers it right, then ∇W₁ wrong.
    ada = people.device()
    ada_link = join(ada, student_link, "Ada Lovelace", "s1815")
    ada_network = my_network(url, ada_link)
    ada.get_by_role("button", name="Go to step 4").click()
    idle(ada)
    expect(ada.locator("#step-title")).to_have_text("4. Backward, layer 2")
    expect(ada.locator('.withheld[data-tensor="gradW2"]')).to_contain_text("Withheld")
    assert ada.locator('.matrix[data-tensor="gradW2"] canvas').count() == 0
    type_answer(ada, "Delta2", expected(ada_network, "Delta2"))
    assert verdict(ada, "Delta2") == "Attempt 1: every entry of Δ₂ is right."
    expect(ada.locator('.answer[data-tensor="Delta2"] .is-right')).to_have_count(2)
    ada.locator("#step").focus()
    ada.keyboard.press("ArrowRight")  # the page's key, on the Step button
    idle(ada)
    expect(ada.locator("#step-title")).to_have_text("5. Backward, layer 1")
    type_answer(ada, "gradW1", expected(ada_network, "gradW1") + 1)
    assert verdict(ada, "gradW1").startswith("Attempt 1: 0 of 6 entries of ∇W₁ right; wrong:")
    wrong = ada.locator('.answer[data-tensor="gradW1"] .is-wrong .answer-cell').first
    assert wrong.get_attribute("aria-label") == "∇W₁[1, 1], wrong"  # not by colour alone
    axe.check(ada, "student, one answer right and one wrong")

    # Bea joins on her own device and gets other numbers of the same shapes; half right.
    bea = people.device(SMALL)
    bea_link = join(bea, student_link, "Bea Noether", "s1882")
    bea_network = my_network(url, bea_link)
    assert np.shape(bea_network["inputs"]) == np.shape(ada_network["inputs"])
    assert bea_network["inputs"] != ada_network["inputs"]
    bea.get_by_role("button", name="Go to step 4").click()
    idle(bea)
    half = expected(bea_network, "Delta2").copy()
    half[0, 1] += 1
    type_answer(bea, "Delta2", half)
    assert verdict(bea, "Delta2") == "Attempt 1: 1 of 2 entries of Δ₂ right; wrong: [1, 2]."
    page_fits = "() => document.documentElement.scrollWidth <= innerWidth"
    assert bea.evaluate(page_fits), "the student page scrolls sideways at 1024 × 768"
    axe.check(bea, "student at 1024 × 768, half right")

    # Someone else joining with Ada's number (any case) is told to use the personal link.
    eve = people.device()
    open_page(eve, student_link)
    eve.fill("#join-name", "Eve")
    eve.fill("#join-number", "S1815")
    eve.click("#join-button")
    expect(eve.locator("#join-number-problem")).to_contain_text("personal link")
    expect(eve.locator("#work")).to_be_hidden()
    axe.check(eve, "student joining, number refused")

    # Ada opens her personal link on another device: her work, where she stands.
    laptop = people.device(SMALL)
    open_page(laptop, ada_link)
    expect(laptop.locator("#who")).to_have_text("Ada Lovelace · s1815")
    expect(laptop.locator('.task[data-task="Delta2"] .task-standing')).to_have_text(
        "Right: all 2 entries · 2 of 3 attempts left"
    )
    assert my_network(url, ada_link) == ada_network
    axe.check(laptop, "student, personal link on another device")

    # The lecturer's table, then the gradebook.
    lecturer = people.device()
    open_page(lecturer, lecturer_link)
    rows = lecturer.locator("#results-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Ada Lovelace")
    assert rows.nth(0).locator("td").nth(1).inner_text() == "✓ 2/2 · 1 attempt"
    assert rows.nth(0).locator("td").nth(2).inner_text() == "✗ 0/6 · 1 attempt"
    assert rows.nth(1).locator("td").nth(1).get_attribute("aria-label") == (
        "Δ₂: 1 of 2 entries right at best, 1 attempt"
    )
    axe.check(lecturer, "lecturer, results table")
    with lecturer.expect_download() as download:
        lecturer.click("#download")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    book = list(csv.DictReader(io.StringIO(text)))
    assert [(r["SIS User ID"], r["Student"]) for r in book] == [
        ("s1815", "Ada Lovelace"),
        ("s1882", "Bea Noether"),
    ]
    columns = ["Week 3, by hand: Delta2", "Week 3, by hand: gradW1", "Final Points"]
    assert [[float(r[c]) for c in columns] for r in book] == [[1, 0, 1], [0.5, 0, 0.5]]

    # Closed: Bea's next submission is refused, saying so, and her page says it is closed.
    lecturer.click("#close-now")
    idle(lecturer)
    expect(lecturer.locator("#closing")).to_have_text(re.compile("^Closed"))
    type_answer(bea, "Delta2", expected(bea_network, "Delta2"))
    expect(bea.locator("#status")).to_contain_text("submissions are no longer taken")
    expect(bea.locator('.answer[data-tensor="Delta2"] button[type=submit]')).to_be_disabled()
    expect(bea.locator("#work-closed")).to_be_visible()
    axe.check(lecturer, "lecturer, closed")
    axe.check(bea, "student, closed")

    # Revealed: Ada sees Δ₂ itself at step 4.
    lecturer.click("#reveal")
    lecturer.click("#reveal-yes")
    idle(lecturer)
    expect(lecturer.locator("#revealed")).to_be_visible()
    open_page(ada, ada_link)
    expect(ada.locator("#revealed-note")).to_be_visible()
    ada.get_by_role("button", name="Go to step 4").click()
    idle(ada)
    expect(ada.locator('.matrix[data-tensor="Delta2"] canvas')).to_have_count(1)
    assert ada.locator(".answer").count() == 0
    axe.check(lecturer, "lecturer, revealed")
    axe.check(ada, "student, revealed")

    # Tokens travel in headers and fragments only: none is in the server's access log.
    written = log.read_text()
    assert "/api/assignments/" in written  # the log is on, and saw the requests
    for secret in (
        token_of(lecturer_link, "token"),
        token_of(ada_link, "student"),
        token_of(bea_link, "student"),
    ):
        assert secret not in written


def test_bad_input_is_said_next_to_its_field_and_costs_nothing(
    people: People, served: tuple[str, Path], axe: Axe
) -> None:
    url, _ = served
    lecturer = people.device()
    open_page(lecturer, f"{url}/assignments/new")

    # A width of 0: said at the widths as it is typed, and no task is offered for it.
    lecturer.fill("#layers", "2, 0, 1")
    expect(lecturer.locator("#layers-problem")).to_have_text("a width must be at least 1, got 0")
    expect(lecturer.locator("#layers")).to_have_attribute("aria-invalid", "true")
    expect(lecturer.locator("#task-choices input")).to_have_count(0)
    axe.check(lecturer, "lecturer, new assignment, a width refused")
    lecturer.fill("#layers", "2, 3, 1")
    expect(lecturer.locator("#layers-problem")).to_be_hidden()
    expect(lecturer.locator('#task-choices input[value="Delta2"]')).to_be_checked()

    # A tolerance over 1: refused by the server, said at the field, which takes the focus.
    lecturer.fill("#tolerance", "2")
    lecturer.click("#create")
    expect(lecturer.locator("#tolerance-problem")).to_contain_text("less than or equal to 1")
    expect(lecturer.locator("#tolerance")).to_be_focused()
    expect(lecturer.locator("#created")).to_be_hidden()
    axe.check(lecturer, "lecturer, new assignment, refused by the server")
    lecturer.fill("#tolerance", "0.001")
    lecturer.click("#create")
    expect(lecturer.locator("#created")).to_be_visible()
    axe.check(lecturer, "lecturer, new assignment, created")
    student_link = lecturer.input_value("#new-student-link")

    # A student's entry that is no number: named in a sentence, and no attempt spent.
    student = people.device()
    join(student, student_link, "Cai", "s7")
    student.get_by_role("button", name="Go to step 4").click()
    idle(student)
    cells = student.locator('.answer[data-tensor="Delta2"] .answer-cell')
    cells.nth(0).fill("0.1")
    cells.nth(1).fill("one")
    cells.nth(1).press("Enter")
    expect(student.locator("#status")).to_have_text(
        "Δ₂[1, 2]: type a number in each entry (e.g. -0.25 or 1e-3)."
    )
    expect(student.locator('.task[data-task="Delta2"] .task-standing')).to_have_text(
        "Not answered yet · 3 of 3 attempts left"
    )
    expect(cells.nth(1)).to_have_value("one")  # what was typed stays
    axe.check(student, "student, an entry that is no number")
