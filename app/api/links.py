"""The addresses students open to follow a view or a room, and their QR codes (SVG, by segno).

A link is made from PUBLIC_URL when it is set; else from the address the lecturer's page was
opened at, unless that is this machine's own (127.0.0.1, localhost), which no student can open:
then from this machine's LAN addresses, with the command that serves the app on them.
"""

from __future__ import annotations

import io
import ipaddress
import socket
from typing import Annotated

import psutil
import segno
from fastapi import APIRouter, Query, Request, Response

from app import schemas

from .deps import SettingsDep
from .errors import INVALID, invalid
from .paths import app_path, app_url, root_path
from .views import VIEW_NOT_FOUND, ViewedSession, ViewId

router = APIRouter(tags=["views"], responses=INVALID)

SERVE_FOR_THE_ROOM = "HOST=0.0.0.0 make run"
"""How to serve the app on every address of this machine (`make run` serves 127.0.0.1 only)."""

VIRTUAL_INTERFACES = ("docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "tailscale", "tun")
"""Name prefixes of interfaces that are rarely the room's network: listed after the others."""

SVG = "image/svg+xml"

Address = Annotated[
    str | None,
    Query(
        description="Which of this machine's LAN addresses the link uses (one of those "
        "/links lists): only when the page was opened on this machine.",
        examples=["192.168.1.20"],
    ),
]


def lan_addresses() -> list[tuple[str, str]]:
    """This machine's IPv4 addresses that other machines may reach, each with its interface's
    name (`("wlan0", "192.168.1.20")`): of interfaces that are up, neither loopback nor
    link-local; virtual bridges (Docker's, VMs') last."""
    stats = psutil.net_if_stats()
    found = [
        (name, address.address)
        for name, addresses in psutil.net_if_addrs().items()
        if name not in stats or stats[name].isup
        for address in addresses
        if address.family == socket.AF_INET
    ]
    usable = [(name, ip) for name, ip in found if _reachable(ipaddress.IPv4Address(ip))]
    return sorted(usable, key=lambda pair: pair[0].startswith(VIRTUAL_INTERFACES))


def _reachable(ip: ipaddress.IPv4Address) -> bool:
    """Whether another machine may reach this machine at `ip`."""
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def on_this_machine(request: Request) -> bool:
    """Whether the request came from this machine to one of its loopback addresses (the page
    was opened at 127.0.0.1 or localhost)."""
    client = request.client.host if request.client else None
    return _is_loopback(request.url.hostname) and _is_loopback(client)


def _public(public_url: str, root_path: str, path: str) -> str:
    """`path` of the app under PUBLIC_URL, the app's prefix added unless it ends with it."""
    base = public_url.rstrip("/")
    if root_path and not base.endswith(root_path):
        base += root_path
    return base + path


def _lan_url(request: Request, ip: str, page: str) -> str:
    """`page` at LAN address `ip`, on the scheme and port the request came to."""
    port = f":{request.url.port}" if request.url.port else ""
    return f"{request.url.scheme}://{ip}{port}{page}"


def follow_links(request: Request, public_url: str, view_id: str) -> schemas.FollowLinks:
    """The addresses at which students open the page that follows `view_id`, best first."""
    path = f"/?follow={view_id}"
    qr = app_path(request, f"/api/views/{view_id}/qr.svg")
    page = app_path(request, path)
    if public_url:
        url = _public(public_url, root_path(request), path)
        link = schemas.FollowLink(url=url, via="PUBLIC_URL", qr=qr)
        return schemas.FollowLinks(page=page, links=[link], this_machine=False, serve=None)
    if not on_this_machine(request):
        link = schemas.FollowLink(url=app_url(request, path), via="request", qr=qr)
        return schemas.FollowLinks(page=page, links=[link], this_machine=False, serve=None)
    links = [
        schemas.FollowLink(url=_lan_url(request, ip, page), via=name, qr=f"{qr}?address={ip}")
        for name, ip in lan_addresses()
    ]
    return schemas.FollowLinks(page=page, links=links, this_machine=True, serve=SERVE_FOR_THE_ROOM)


def qr_svg(text: str) -> bytes:
    """A QR code of `text` as SVG (error correction M, a quiet zone of 4 modules, black on
    white), sized by its viewBox only: the page makes it as large as the room needs."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(
        buffer,
        kind="svg",
        xmldecl=False,
        omitsize=True,
        border=4,
        dark="#000",
        light="#fff",
        title=f"QR code of {text}",
    )
    return buffer.getvalue()


@router.get("/api/views/{view_id}/links", responses=VIEW_NOT_FOUND)
def read_follow_links(
    view_id: ViewId, _session: ViewedSession, request: Request, settings: SettingsDep
) -> schemas.FollowLinks:
    """The addresses to give students for a view or a room, each with its QR code: from
    PUBLIC_URL, the address this request came to, or this machine's LAN addresses when it came
    to 127.0.0.1 or localhost."""
    return follow_links(request, settings.public_url, view_id)


@router.get(
    "/api/views/{view_id}/qr.svg",
    response_class=Response,
    responses={
        **VIEW_NOT_FOUND,
        200: {"description": "The QR code, an SVG image.", "content": {SVG: {}}},
    },
)
def read_follow_qr(
    view_id: ViewId,
    _session: ViewedSession,
    request: Request,
    settings: SettingsDep,
    address: Address = None,
) -> Response:
    """The QR code of a link to the page that follows a view or a room, as SVG; `address`
    picks one of this machine's LAN addresses when the page was opened on it."""
    found = follow_links(request, settings.public_url, view_id)
    if not found.this_machine and address is None:
        return Response(qr_svg(found.links[0].url), media_type=SVG)
    if not found.this_machine:
        msg = "is only for a page opened on this machine (127.0.0.1 or localhost)"
        raise invalid(("query", "address"), msg)
    known = [ip for _, ip in lan_addresses()]
    if address not in known:
        listed = ", ".join(known) or "it has none"
        raise invalid(
            ("query", "address"), f"must be one of this machine's LAN addresses ({listed})"
        )
    return Response(qr_svg(_lan_url(request, address, found.page)), media_type=SVG)
