// The room on the page: the lecturer's "Students follow this page" part of the share panel and
// its dialog for the projector (the link and a QR code big enough to scan from the back of the
// room), and the follower's banner. Drawn from the store (`room`, `roomLinks`, `roomLink`,
// `follow`, `live`, `followed`, `followNote`); the owner (rooms.js) talks to the server.

import { copyField } from "./copy.js";
import { wrapTab } from "./dialog.js";
import { byId } from "./dom.js";
import { followBanner } from "./rooms.js";

const DRAWN = new Set([
  "room",
  "roomLinks",
  "roomLink",
  "follow",
  "live",
  "dropped",
  "followed",
  "followNote",
]);

/** What the page says about where students can open the link, or "" when nothing needs
 * saying (the link uses PUBLIC_URL, or the address the page was opened at). */
export function reachNote(links) {
  if (!links?.this_machine) return "";
  const serve = `serve for the room with ${links.serve} (stop the server first), then reload this page.`;
  if (links.links.length === 0) {
    return `This page was opened on this machine, at an address no student can open, and the machine has no other network address: join the room's network (its Wi-Fi), then ${serve}`;
  }
  return `This page was opened on this machine (127.0.0.1 or localhost), which no student can open: they open this machine's address on the room's network, as above. If they cannot, ${serve}`;
}

export class RoomPanel {
  /** `owner` makes and stops the room (rooms.js RoomOwner). */
  constructor(store, owner) {
    this.store = store;
    this.owner = owner;
    this.dialog = byId("room-dialog");
    this.dialog.addEventListener("keydown", (event) => wrapTab(this.dialog, event));
    byId("room-open").addEventListener("click", () => owner.open());
    byId("room-show").addEventListener("click", () => this.show());
    byId("room-header").addEventListener("click", () => this.show());
    byId("room-stop").addEventListener("click", () => owner.stop());
    byId("room-address").addEventListener("change", (event) =>
      store.chooseRoomLink(event.target.value),
    );
    byId("room-dialog-copy").addEventListener("click", (event) =>
      copyField(byId("room-url"), event.target),
    );
    store.subscribe((state, changed) => {
      if ([...changed].some((key) => DRAWN.has(key))) this.draw(state);
    });
    this.draw(store.state);
  }

  /** Opens the dialog for the projector, making the room first when there is none. */
  async show() {
    await this.owner.open();
    if (!this.store.state.roomLinks) return;
    if (!this.dialog.open) this.dialog.showModal();
  }

  draw(state) {
    this.drawBanner(state);
    const owner = state.follow === null;
    byId("room-header").hidden = !owner;
    const links = state.roomLinks;
    const shared = owner && state.room !== null && links !== null;
    byId("room-open").hidden = !owner || state.room !== null;
    byId("room-shared").hidden = !shared;
    if (!shared) {
      if (this.dialog.open) this.dialog.close();
      return;
    }
    const link = links.links[state.roomLink] ?? null;
    const select = byId("room-address");
    select.replaceChildren(
      ...links.links.map((each, index) => {
        const option = document.createElement("option");
        option.value = String(index);
        option.textContent = `${each.url.split("/")[2]} (${each.via})`;
        return option;
      }),
    );
    select.value = String(state.roomLink);
    byId("room-address-row").hidden = links.links.length < 2;
    const note = reachNote(links);
    for (const id of ["room-local", "room-dialog-local"]) {
      // The command to serve for the room, as code.
      const [before, after] = note.split(links.serve ?? "\u0000");
      const command = document.createElement("code");
      command.textContent = links.serve ?? "";
      byId(id).replaceChildren(...(after === undefined ? [note] : [before, command, after]));
      byId(id).hidden = note === "";
    }
    byId("room-url").value = link?.url ?? "";
    byId("room-dialog-url").textContent = link?.url ?? "";
    byId("room-dialog-copy").hidden = link === null;
    for (const id of ["room-qr", "room-dialog-qr"]) {
      const image = byId(id);
      image.hidden = link === null;
      if (link && image.getAttribute("src") !== link.qr) image.src = link.qr;
      image.alt = link ? `QR code of the link students open: ${link.url}` : "";
    }
  }

  drawBanner(state) {
    const banner = byId("follow-banner");
    banner.hidden = state.follow === null;
    if (banner.hidden) return;
    const { text, note, kind } = followBanner(state);
    banner.dataset.kind = kind;
    byId("follow-text").textContent = text;
    byId("follow-note").textContent = note;
    byId("follow-note").hidden = note === "";
  }
}
