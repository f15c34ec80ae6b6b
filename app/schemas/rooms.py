"""Rooms, the read-only links that follow the lecturer's page: what their owner sends, what
their followers learn of them, and the links and QR codes students open them by."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .requests import STRICT_JSON

LecturerPage = Literal["open", "closed"]


class RoomState(BaseModel):
    """What followers of a room learn of it: which network it shows and whether the page that
    owns it is open. Never the id of the session it shows."""

    id: str = Field(description="The room's id (192 random bits): the view id its followers use.")
    network: int = Field(
        description="Networks the room has shown, 1 for the first: it grows when the lecturer's "
        "page starts another network (a preset, an edit, a restored export) or resets this one."
    )
    started: Literal["new", "reset"] = Field(
        description="How the network now shown started: `new` (another session) or `reset` "
        "(the same one back at its first weights)."
    )
    lecturer_page: LecturerPage = Field(
        description="`open` while the lecturer's page shows the room; `closed` once it has "
        "closed (or not said it is open for a while): followers stay on the last step shown."
    )


ROOM_KEY_DESCRIPTION = (
    "The room's owner key, as POST /api/rooms returned it to the page that made the room."
)


class RoomRequest(BaseModel):
    """The session a new room shows first."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [{"session": "nQ3Jx0l6v1t2Lk8Zr5uWc9bHm4aTs7D2"}]}
    )

    session: str = Field(description="The id of a session of the lecturer's.")


class RoomPointing(BaseModel):
    """The session a room shows from now on, from the page that owns it."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "0aQ7Zt3vH1kLm9Xc2bW5nR8sJ4uY6pEd",
                    "session": "nQ3Jx0l6v1t2Lk8Zr5uWc9bHm4aTs7D2",
                    "restart": False,
                }
            ]
        }
    )

    key: str = Field(description=ROOM_KEY_DESCRIPTION)
    session: str = Field(
        description="The id of the session the lecturer's page shows now: another one starts a "
        "new network for the followers; the same one only says that the page is open."
    )
    restart: bool = Field(
        default=False,
        description="True after a reset of the same session: the followers start anew with it.",
    )


class RoomKey(BaseModel):
    """The owner key of a room, which proves the request comes from the page that made it."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [{"key": "0aQ7Zt3vH1kLm9Xc2bW5nR8sJ4uY6pEd"}]}
    )

    key: str = Field(description=ROOM_KEY_DESCRIPTION)


class RoomOwned(BaseModel):
    """A new room, as its owner's page gets it: its id for the followers, its key for itself."""

    id: str = Field(
        description="The room's id (192 random bits): the view id followers open; it opens no "
        "session endpoint."
    )
    key: str = Field(
        description="The owner key (192 random bits): PUT /api/rooms/{id} and its `leave` "
        "take it. Keep it to the page that made the room; the server keeps only its SHA-256."
    )
    page: str = Field(description="The path of the page that follows the room, `/?follow=<id>`.")
    events: str = Field(description="The path of the room's text/event-stream.")
    room: RoomState = Field(description="The room as its followers see it.")


class FollowLink(BaseModel):
    """An address at which students open the page that follows a view or a room."""

    url: str = Field(description="The whole address, e.g. `http://192.168.1.20:8000/?follow=…`.")
    via: str = Field(
        description="Where its host comes from: `PUBLIC_URL` (the setting), `request` (the "
        "address the page was opened at) or the name of a network interface of this machine "
        "(`wlan0`) for one of its LAN addresses."
    )
    qr: str = Field(description="The path of its QR code, an SVG image.")


class FollowLinks(BaseModel):
    """The addresses to give students for a view or a room, best first."""

    page: str = Field(description="The path of the following page, `/?follow=<id>`.")
    links: list[FollowLink] = Field(
        description="One address from PUBLIC_URL when it is set, else the one the page was "
        "opened at; when that is this machine's own (127.0.0.1, localhost), its LAN addresses "
        "instead (none when it has none)."
    )
    this_machine: bool = Field(
        description="True when the page was opened on this machine (127.0.0.1, localhost) and "
        "PUBLIC_URL is not set: students reach the LAN addresses only if the server listens on "
        "them (`serve`)."
    )
    serve: str | None = Field(
        description="With `this_machine`: the command that serves the app for the whole room, "
        "`HOST=0.0.0.0 make run`; else null."
    )
