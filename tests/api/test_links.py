"""The links students follow a room by, and their QR codes: from PUBLIC_URL, from the address the
page was opened at, or, on 127.0.0.1 or localhost, from this machine's LAN addresses."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
import zxingcpp
from fastapi.testclient import TestClient

from app.api import links
from app.config import Settings
from app.engine import preset
from app.main import create_app

LAN = [("wlan0", "192.168.1.20"), ("enp3s0", "10.0.0.7")]


def room_of(client: TestClient) -> str:
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    return str(client.post("/api/rooms", json={"session": session_id}).json()["id"])


@pytest.fixture
def local() -> Iterator[Callable[..., TestClient]]:
    """Clients of an app as a browser on this machine opens it: at 127.0.0.1 or localhost."""
    opened: list[TestClient] = []

    def make(
        host: str = "127.0.0.1:8000", client: str = "127.0.0.1", **settings: Any
    ) -> TestClient:
        app = create_app(Settings(store="memory://", **settings))
        made = TestClient(app, base_url=f"http://{host}", client=(client, 50123))
        opened.append(made.__enter__())
        return made

    yield make
    for made in opened:
        made.__exit__(None, None, None)


def decoded(svg: str) -> str:
    """The text of a QR code drawn as segno draws it in SVG: a path of horizontal runs
    (`M x y`, then `h n` dark modules and `m dx dy` moves), read back by zxing-cpp."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)[1])  # type: ignore[index]
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg)[1]  # type: ignore[index]
    grid = np.full((size, size), 255, np.uint8)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            grid[int(y), int(x) : int(x) + int(a)] = 0
            x += float(a)
    image = np.kron(grid, np.ones((8, 8), np.uint8))  # 8 pixels a module
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return str(found[0].text)


def test_a_page_opened_at_a_public_address_gives_that_address(client: TestClient) -> None:
    room_id = room_of(client)

    answer = client.get(f"/api/views/{room_id}/links").json()

    assert answer == {
        "page": f"/?follow={room_id}",
        "links": [
            {
                "url": f"http://testserver/?follow={room_id}",
                "via": "request",
                "qr": f"/api/views/{room_id}/qr.svg",
            }
        ],
        "this_machine": False,
        "serve": None,
    }


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_a_page_opened_on_this_machine_lists_its_lan_addresses_and_how_to_serve_them(
    local: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    monkeypatch.setattr(links, "lan_addresses", lambda: LAN)
    client = local(host)
    room_id = room_of(client)

    answer = client.get(f"/api/views/{room_id}/links").json()

    assert answer["this_machine"] is True
    assert answer["serve"] == "HOST=0.0.0.0 make run"
    assert [(link["via"], link["url"]) for link in answer["links"]] == [
        ("wlan0", f"http://192.168.1.20:8000/?follow={room_id}"),
        ("enp3s0", f"http://10.0.0.7:8000/?follow={room_id}"),
    ]
    assert "127.0.0.1" not in str(answer["links"]) and "localhost" not in str(answer["links"])


def test_a_request_from_elsewhere_naming_localhost_learns_no_lan_address(
    local: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links, "lan_addresses", lambda: LAN)
    client = local("localhost:8000", client="203.0.113.9")
    room_id = room_of(client)

    answer = client.get(f"/api/views/{room_id}/links").json()

    assert answer["this_machine"] is False
    assert "192.168" not in str(answer)


@pytest.mark.parametrize(
    ("public_url", "url"),
    [
        ("https://bpv.uni.example", "https://bpv.uni.example/?follow={}"),
        ("https://bpv.uni.example/", "https://bpv.uni.example/?follow={}"),
        ("http://192.168.1.20:8000", "http://192.168.1.20:8000/?follow={}"),
        ("https://uni.example/courses/ml", "https://uni.example/courses/ml/?follow={}"),
    ],
)
def test_public_url_makes_the_one_link_wherever_the_page_was_opened(
    local: Callable[..., TestClient], public_url: str, url: str
) -> None:
    client = local(public_url=public_url)
    room_id = room_of(client)

    answer = client.get(f"/api/views/{room_id}/links").json()

    assert [(link["via"], link["url"]) for link in answer["links"]] == [
        ("PUBLIC_URL", url.format(room_id))
    ]
    assert answer["this_machine"] is False and answer["serve"] is None
    assert decoded(client.get(answer["links"][0]["qr"]).text) == url.format(room_id)


@pytest.mark.parametrize("public_url", ["ftp://x.example", "bpv.uni.example", "http://x/?a=1"])
def test_a_public_url_that_is_no_web_address_is_refused_at_start(public_url: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        Settings(public_url=public_url)


def test_the_qr_code_is_an_svg_of_the_link(client: TestClient) -> None:
    room_id = room_of(client)
    link = client.get(f"/api/views/{room_id}/links").json()["links"][0]

    answer = client.get(link["qr"])

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.text.startswith("<svg") and "width=" not in answer.text.split(">")[0]
    assert decoded(answer.text) == link["url"]


def test_each_lan_address_has_its_qr_code_and_no_other_address_has_one(
    local: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links, "lan_addresses", lambda: LAN)
    client = local()
    room_id = room_of(client)

    for link in client.get(f"/api/views/{room_id}/links").json()["links"]:
        assert decoded(client.get(link["qr"]).text) == link["url"]
    for query in ({"address": "8.8.8.8"}, {}):
        refused = client.get(f"/api/views/{room_id}/qr.svg", params=query)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["query", "address"]
        assert "192.168.1.20, 10.0.0.7" in refused.json()["detail"][0]["msg"]


def test_an_address_is_refused_for_a_page_not_opened_on_this_machine(client: TestClient) -> None:
    room_id = room_of(client)

    refused = client.get(f"/api/views/{room_id}/qr.svg", params={"address": "192.168.1.20"})

    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "address"]


@pytest.mark.parametrize("suffix", ["/links", "/qr.svg"])
def test_links_of_an_unknown_view_are_a_404(client: TestClient, suffix: str) -> None:
    assert client.get(f"/api/views/made-up{suffix}").status_code == 404


def test_a_view_of_one_session_has_links_too(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]

    answer = client.get(f"/api/views/{view_id}/links").json()

    assert answer["links"][0]["url"] == f"http://testserver/?follow={view_id}"


def test_this_machines_lan_addresses_are_its_own_and_never_loopback() -> None:
    found = links.lan_addresses()

    for _name, ip in found:
        assert not ip.startswith("127.")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((ip, 0))  # only an address of this machine can be bound


def test_virtual_bridges_down_interfaces_and_link_local_addresses_are_left_last_or_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def address(ip: str, family: int = socket.AF_INET) -> SimpleNamespace:
        return SimpleNamespace(family=family, address=ip)

    interfaces = {
        "lo": [address("127.0.0.1")],
        "docker0": [address("172.17.0.1")],
        "wlan0": [address("192.168.1.20"), address("fe80::1", socket.AF_INET6)],
        "eth1": [address("169.254.3.4")],
        "eth2": [address("10.1.2.3")],
    }
    up = {name: SimpleNamespace(isup=name != "eth2") for name in interfaces}
    monkeypatch.setattr(links.psutil, "net_if_addrs", lambda: interfaces)
    monkeypatch.setattr(links.psutil, "net_if_stats", lambda: up)

    assert links.lan_addresses() == [("wlan0", "192.168.1.20"), ("docker0", "172.17.0.1")]


@pytest.mark.parametrize(
    ("public_url", "url"),
    [
        ("", "http://testserver/bpv/?follow={}"),
        ("https://uni.example", "https://uni.example/bpv/?follow={}"),
        ("https://uni.example/bpv", "https://uni.example/bpv/?follow={}"),
    ],
)
def test_links_and_qr_codes_carry_the_path_the_app_is_published_under(
    client_with: Callable[..., TestClient], public_url: str, url: str
) -> None:
    client = client_with(root_path="/bpv", public_url=public_url)
    room_id = room_of(client)

    answer = client.get(f"/bpv/api/views/{room_id}/links").json()

    assert answer["page"] == f"/bpv/?follow={room_id}"
    (link,) = answer["links"]
    assert link["url"] == url.format(room_id)
    assert link["qr"] == f"/bpv/api/views/{room_id}/qr.svg"
    assert decoded(client.get(link["qr"]).text) == url.format(room_id)


def test_lan_links_carry_the_path_the_app_is_published_under(
    local: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(links, "lan_addresses", lambda: LAN[:1])
    client = local(root_path="/bpv")
    room_id = room_of(client)

    (link,) = client.get(f"/api/views/{room_id}/links").json()["links"]

    assert link["url"] == f"http://192.168.1.20:8000/bpv/?follow={room_id}"
    assert link["qr"] == f"/bpv/api/views/{room_id}/qr.svg?address=192.168.1.20"
    assert decoded(client.get(link["qr"]).text) == link["url"]
