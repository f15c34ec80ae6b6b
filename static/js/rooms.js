// Rooms: the read-only link students follow the lecturer's page by, from network to network.
// The lecturer's page owns one (RoomOwner: made when asked for, re-pointed to each session the
// page shows and after a reset, said open every 20 s and closed when the page goes); a
// student's page follows one (followView: the live stream of networks, moves and the
// lecturer's page closing). Their state lives in the store; this module holds none.

import * as api from "./api.js";

/** How often the lecturer's page says it is still open (the server calls it closed after 90 s
 * without a word: a tab in the background may run its timers only once a minute). */
export const HEARTBEAT_MS = 20_000;

/** How long a follower's stream may be down before the page says so: the server ends each
 * stream after a few minutes and the browser is back within about a second. */
export const DROPPED_MS = 3_000;

/**
 * Follows view or room `viewId` live (server-sent events): `onNetwork(answer)` with the whole
 * network a room shows (first, and whenever the lecturer starts one), `onAnswer(move)` after
 * each move, `onRoom(state)` when the lecturer's page closes or comes back, `onDropped(true)`
 * when the connection has been down for `DROPPED_MS` (the browser tries again meanwhile) and
 * `onDropped(false)` when it is back, `onGone(text)` when the stream has ended for good. A view
 * of one session sends moves only.
 */
export function followView(viewId, { onNetwork, onAnswer, onRoom, onDropped, onGone }) {
  const source = new EventSource(api.viewEvents(viewId));
  let [timer, dropped] = [null, false];
  const settle = () => {
    clearTimeout(timer);
    timer = null;
  };
  const data = (event) => JSON.parse(event.data);
  source.addEventListener("network", (event) => onNetwork(data(event)));
  source.addEventListener("step", (event) => onAnswer(data(event)));
  source.addEventListener("room", (event) => onRoom(data(event)));
  source.addEventListener("open", () => {
    settle();
    if (dropped) onDropped(false);
    dropped = false;
  });
  source.addEventListener("gone", () => {
    settle();
    source.close();
    onGone(
      "This room has ended (it expired, or its session was deleted). You stay on the last step shown.",
    );
  });
  source.addEventListener("failed", (event) => {
    settle();
    source.close();
    onGone(`The live view stopped: ${data(event).detail} You stay on the last step shown.`);
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      settle();
      onGone("The live view cannot be reached. You stay on the last step shown.");
    } else if (timer === null && !dropped) {
      timer = setTimeout(() => {
        timer = null;
        dropped = true;
        onDropped(true);
      }, DROPPED_MS);
    }
  });
  return source;
}

/**
 * What the follower's banner says, from the store's state: `text`, how the page follows;
 * `note`, the line about the lecturer's last new network ("" for none); `kind`, "live" or
 * "still" (the page no longer moves).
 */
export function followBanner(state) {
  if (!state.live) {
    return {
      text: state.followNote || "The live view has ended: you stay on the last step shown.",
      note: "",
      kind: "still",
    };
  }
  if (state.dropped) {
    return {
      text: "The connection has dropped. You stay on the last step shown, and the page follows again as soon as it is back.",
      note: "",
      kind: "still",
    };
  }
  if (state.followed?.lecturer_page === "closed") {
    return {
      text: "The lecturer's page is closed. You stay on the last step shown, and follow again when they are back.",
      note: "",
      kind: "still",
    };
  }
  const what = state.followed ? "the lecturer" : "the lecturer's session";
  return {
    text: `Following ${what} live (read only): the page moves when they step.`,
    note: state.followNote,
    kind: "live",
  };
}

/**
 * The room of the lecturer's page, kept in the store (`room`, `roomLinks`, `roomLink`): made
 * by `open`, re-pointed to every session the page shows (a preset, an edit, a restored export)
 * and by `restarted` after a reset, said open every 20 s, said closed when the page goes.
 * `onError(error)` shows a failure; a room the server no longer knows is forgotten.
 */
export class RoomOwner {
  constructor(store, { onError, beacon = (path, body) => navigator.sendBeacon(path, body) }) {
    this.store = store;
    this.onError = onError;
    this.beacon = beacon;
    this.timer = null;
    store.subscribe((state, changed) => {
      if (changed.has("room")) this.beat(state.room !== null);
      if (changed.has("sessionId") && state.room && state.sessionId) this.point();
    });
  }

  /** Whether the page may own a room: a page that follows one does not. */
  get allowed() {
    return this.store.state.follow === null;
  }

  /** Makes a room showing the session now shown (once), then reads its links. */
  async open() {
    const { room, sessionId } = this.store.state;
    if (!this.allowed || !sessionId) return;
    if (room) return this.readLinks();
    try {
      this.store.ownRoom(await api.createRoom(sessionId));
      await this.readLinks();
    } catch (error) {
      this.onError(error);
    }
  }

  /** Re-points the room to the session shown (`restart`: the same one, started over); says
   * that the page is open. A room the server no longer knows, or no longer lets this page
   * own, is forgotten, saying so. */
  async point({ restart = false } = {}) {
    const { room, sessionId } = this.store.state;
    if (!room || !sessionId) return;
    try {
      await api.pointRoom(room.id, { key: room.key, session: sessionId, restart });
      if (!this.store.state.roomLinks) await this.readLinks();
    } catch (error) {
      if (!(error instanceof api.ApiError && [403, 404].includes(error.status))) {
        this.onError(error);
      } else if (this.store.state.room === room) {
        this.store.ownRoom(null);
        this.store.say(
          "The room students followed has expired: make a new one to share.",
          "warning",
        );
      }
    }
  }

  /** After a reset: followers start the network over too. */
  restarted = () => this.point({ restart: true });

  /** The addresses students open the room at. */
  async readLinks() {
    const { room } = this.store.state;
    if (!room) return;
    try {
      const links = await api.readViewLinks(room.id);
      if (this.store.state.room === room) this.store.showRoomLinks(links);
    } catch (error) {
      this.onError(error);
    }
  }

  /** Says that the page has closed (a beacon, which outlives the page): followers stay on the
   * last step shown. A reload comes back within the server's grace, unnoticed. */
  left() {
    const { room } = this.store.state;
    if (room)
      this.beacon(
        api.roomLeavePath(room.id),
        new Blob([JSON.stringify({ key: room.key })], { type: "application/json" }),
      );
  }

  /** Stops sharing: followers are told the page closed, and this page forgets the room. */
  stop() {
    this.left();
    this.store.ownRoom(null);
  }

  beat(on) {
    clearInterval(this.timer);
    this.timer = on ? setInterval(() => this.point(), HEARTBEAT_MS) : null;
  }
}
