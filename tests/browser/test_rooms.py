"""A room in class: students follow the lecturer's page from network to network, are told calmly
when it closes, and open the link from a QR code on the projector. Headless Debian Chromium
against the real server."""

from __future__ import annotations

import io
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from devtools.server import free_port, local_server

from .axe import Axe
from .test_stepping_page import open_page, session_of, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
PUBLIC_URL = "https://bpv.uni.example/ml"


def room_of(page: Page) -> str:
    """The id of the room the lecturer's page made (from its follow link)."""
    return parse_qs(urlsplit(page.locator("#room-url").input_value()).query)["follow"][0]


def make_room(page: Page) -> str:
    page.locator("#room-open").click()
    expect(page.locator("#room-shared")).to_be_visible()
    return room_of(page)


def qr_text(png: bytes) -> list[str]:
    """The texts of the QR codes zxing-cpp finds in a screenshot."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return [found.text for found in zxingcpp.read_barcodes(image)]


class Follower:
    """A student's page on the room, recording every answer it got that was not a success."""

    def __init__(self, context: BrowserContext, url: str) -> None:
        self.page = context.new_page()
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.page.on("response", self._answered)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        open_page(self.page, url)

    def _answered(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def shows(self, lecturer: Page) -> None:
        """Waits (at most 1 s beyond what the page itself takes) until the follower shows the
        lecturer's network and position."""
        for selector in ("#spec-summary", "#position"):
            expect(self.page.locator(selector)).to_have_text(
                lecturer.locator(selector).inner_text(), timeout=1000
            )


@pytest.fixture
def follower_context(browser: Browser) -> Iterator[BrowserContext]:
    """The students' browser: another context, so that nothing is shared with the lecturer's."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    yield context
    context.close()


def test_a_follower_stays_with_the_lecturer_across_a_preset_an_edit_and_a_reset(
    page: Page, follower_context: BrowserContext, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    open_page(page, server_url + "/")
    room_id = make_room(page)
    assert session_of(page) not in page.locator("#room-url").input_value()
    student = Follower(follower_context, f"{server_url}/?follow={room_id}")
    try:
        banner = student.page.locator("#follow-banner")
        expect(banner).to_contain_text("Following the lecturer live")
        for _ in range(2):
            page.locator("#step").click()
            wait_idle(page)
        student.shows(page)
        axe.check(page, "lecturer, room shared")
        axe.check(student.page, "follower, following live")

        # A preset: the room keeps its id, and the student moves to the new network.
        page.select_option("#preset", "qa-one-hidden")
        wait_idle(page)
        student.shows(page)
        expect(student.page.locator("#follow-note")).to_have_text(
            "The lecturer started a new network."
        )
        assert parse_qs(urlsplit(student.page.url).query)["follow"] == [room_id]
        page.locator("#step").click()
        wait_idle(page)
        student.shows(page)
        expect(student.page.locator("#results .matrix")).to_have_count(3)

        # An edit: applied, it is another session, and the student follows it too.
        page.locator("#edit-network").click()
        page.fill("#learning-rate", "0.25")
        page.locator("#apply").click()
        wait_idle(page)
        expect(page.locator("#spec-summary")).to_contain_text("η = 0.25")
        student.shows(page)
        page.locator("#step").click()
        wait_idle(page)
        student.shows(page)

        # A reset: the same session started over, for the student as for the lecturer.
        page.locator("#reset").click()
        wait_idle(page)
        expect(student.page.locator("#follow-note")).to_have_text(
            "The lecturer started the network over."
        )
        student.shows(page)
        expect(student.page.locator("#empty-hint")).to_be_visible()
        axe.check(student.page, "follower, the network started over")
        student.page.screenshot(path=str(SCREENSHOTS / "room-follower.png"))

        assert session_of(page) not in student.page.url
        assert student.failed == [] and student.errors == []
    finally:
        student.page.close()


def test_when_the_lecturers_page_closes_the_student_stays_on_the_last_step_told_so_calmly(
    context: BrowserContext, follower_context: BrowserContext, server_url: str, axe: Axe
) -> None:
    lecturer = context.new_page()
    open_page(lecturer, server_url + "/")
    room_id = make_room(lecturer)
    for _ in range(3):
        lecturer.locator("#step").click()
        wait_idle(lecturer)
    student = Follower(follower_context, f"{server_url}/?follow={room_id}")
    try:
        student.shows(lecturer)
        position = lecturer.locator("#position").inner_text()
        lecturer.close(run_before_unload=True)

        banner = student.page.locator("#follow-banner")
        expect(banner).to_contain_text("The lecturer's page is closed", timeout=10_000)
        expect(banner).to_contain_text("You stay on the last step shown")
        expect(banner).to_have_attribute("data-kind", "still")
        expect(student.page.locator("#position")).to_have_text(position)
        expect(student.page.locator("#results .matrix")).not_to_have_count(0)
        expect(student.page.locator("#status")).to_be_hidden()
        assert "went wrong" not in student.page.locator("body").inner_text().lower()
        axe.check(student.page, "follower, the lecturer's page closed")
        student.page.screenshot(path=str(SCREENSHOTS / "room-follower-closed.png"))
        assert student.failed == [] and student.errors == []
    finally:
        student.page.close()


def test_a_reloaded_lecturer_page_keeps_its_room_and_its_followers(
    context: BrowserContext, follower_context: BrowserContext, server_url: str
) -> None:
    lecturer = context.new_page()
    try:
        open_page(lecturer, server_url + "/")
        room_id = make_room(lecturer)
        student = Follower(follower_context, f"{server_url}/?follow={room_id}")
        lecturer.reload()
        lecturer.locator("body[data-ready=true]").wait_for(state="attached")
        wait_idle(lecturer)
        expect(lecturer.locator("#room-shared")).to_be_visible()
        assert room_of(lecturer) == room_id
        lecturer.locator("#step").click()
        wait_idle(lecturer)
        student.shows(lecturer)
        time.sleep(4)  # past the grace a reload is given
        expect(student.page.locator("#follow-banner")).to_contain_text(
            "Following the lecturer live"
        )
        student.page.close()
    finally:
        lecturer.close()


def test_a_follower_whose_connection_drops_is_told_so_and_follows_again_when_it_is_back(
    context: BrowserContext, follower_context: BrowserContext, tmp_path: Path
) -> None:
    store, port = f"sqlite:///{tmp_path / 'sessions.sqlite3'}", free_port()
    lecturer = context.new_page()
    with local_server(store=store, port=port) as server:
        open_page(lecturer, server.url + "/")
        room_id = make_room(lecturer)
        lecturer.locator("#step").click()
        wait_idle(lecturer)
        student = Follower(follower_context, f"{server.url}/?follow={room_id}")
        student.shows(lecturer)
        position = student.page.locator("#position").inner_text()
        os.kill(server.pid, signal.SIGKILL)  # the server's machine is gone, mid-stream

        banner = student.page.locator("#follow-banner")
        expect(banner).to_contain_text("The connection has dropped.", timeout=10_000)
        expect(banner).to_contain_text("You stay on the last step shown")
        expect(banner).to_have_attribute("data-kind", "still")
        expect(student.page.locator("#position")).to_have_text(position)
        student.page.screenshot(path=str(SCREENSHOTS / "room-follower-dropped.png"))

    try:
        with local_server(store=store, port=port):  # back, the room kept in its file
            expect(banner).to_contain_text("Following the lecturer live", timeout=10_000)
            lecturer.locator("#step").click()
            wait_idle(lecturer)
            student.shows(lecturer)
            assert student.failed == [] and student.errors == []
    finally:
        student.page.close()
        lecturer.close()


@pytest.fixture(scope="module")
def public_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with PUBLIC_URL set: the link students get is the public address."""
    log = tmp_path_factory.mktemp("public") / "uvicorn.log"
    with local_server(log=log, env={"PUBLIC_URL": PUBLIC_URL}) as server:
        yield server.url


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768)])
def test_the_qr_code_on_the_projector_reads_back_as_the_link_students_open(
    browser: Browser, public_server: str, size: tuple[int, int], axe: Axe
) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        open_page(page, public_server + "/")
        room_id = make_room(page)
        link = f"{PUBLIC_URL}/?follow={room_id}"
        expect(page.locator("#room-url")).to_have_value(link)
        expect(page.locator("#room-local")).to_be_hidden()

        panel_qr = page.locator("#room-qr")
        panel_qr.scroll_into_view_if_needed()
        expect(panel_qr).to_have_js_property("complete", True)
        assert qr_text(panel_qr.screenshot()) == [link]
        page.screenshot(path=str(SCREENSHOTS / f"room-share-{width}.png"))
        axe.check(page, f"lecturer at {width} × {height}, the room's link and QR code")

        # In presenter mode, big enough to scan from the back of the room.
        page.locator("#presenter").click()
        page.locator("#room-header").click()
        dialog = page.locator("#room-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#room-dialog-url")).to_have_text(link)
        big = page.locator("#room-dialog-qr")
        expect(big).to_have_js_property("complete", True)
        box = big.bounding_box()
        assert box is not None
        assert box["height"] >= 0.75 * height and box["y"] >= 0
        assert box["y"] + box["height"] <= height
        shot = page.screenshot()
        assert qr_text(shot) == [link]
        page.screenshot(path=str(SCREENSHOTS / f"room-qr-presenter-{width}.png"))
        axe.check(page, f"presenter at {width} × {height}, the room's dialog")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
    finally:
        context.close()


def test_the_room_is_made_shown_and_closed_from_the_keyboard_alone(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    page.locator("#room-header").focus()
    page.keyboard.press("Enter")  # Students…: makes the room and shows it to the room

    dialog = page.locator("#room-dialog")
    expect(dialog).to_be_visible()
    assert page.evaluate("document.activeElement.closest('dialog')?.id") == "room-dialog"
    room_id = room_of(page)
    expect(page.locator("#room-dialog-url")).to_contain_text(f"/?follow={room_id}")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#room-header")).to_be_focused()

    page.locator("#room-show").focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('dialog')?.id") == "room-dialog"
    page.keyboard.press("Escape")
    expect(page.locator("#room-show")).to_be_focused()
    assert room_of(page) == room_id  # the same room, shown twice


def test_a_page_opened_on_127_0_0_1_lists_the_machines_lan_addresses_and_how_to_serve_them(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    room_id = make_room(page)
    links = api.get(f"/api/views/{room_id}/links").json()

    assert links["this_machine"] is True  # the test server answers on 127.0.0.1
    note = page.locator("#room-local")
    expect(note).to_be_visible()
    expect(note.locator("code")).to_have_text("HOST=0.0.0.0 make run")
    if not links["links"]:
        expect(note).to_contain_text("no other network address")
        return
    expect(page.locator("#room-url")).to_have_value(links["links"][0]["url"])
    assert "127.0.0.1" not in page.locator("#room-url").input_value()
    if len(links["links"]) > 1:
        page.select_option("#room-address", "1")
        expect(page.locator("#room-url")).to_have_value(links["links"][1]["url"])
    page.locator("#room-qr").scroll_into_view_if_needed()
    expect(page.locator("#room-qr")).to_have_js_property("complete", True)
    assert qr_text(page.locator("#room-qr").screenshot()) == [
        page.locator("#room-url").input_value()
    ]
