// Rooms in the page: what a follower's store makes of the lecturer's networks, what its banner
// says, and how the lecturer's page keeps its room (one per tab, re-pointed, forgotten when the
// server no longer knows it).

import assert from "node:assert/strict";
import { afterEach, describe, mock, test } from "node:test";

import { reachNote } from "../../static/js/room-panel.js";
import { DROPPED_MS, followBanner, followView, RoomOwner } from "../../static/js/rooms.js";
import { createStore, networkPatch, otherNetwork } from "../../static/js/store.js";

const PAGE = "http://127.0.0.1:8000/";

/** A Storage of its own, as sessionStorage is. */
function memoryStorage(items = {}) {
  const held = new Map(Object.entries(items));
  return {
    held,
    getItem: (key) => held.get(key) ?? null,
    setItem: (key, value) => held.set(key, String(value)),
    removeItem: (key) => held.delete(key),
  };
}

const session = (fields = {}) => ({
  id: "r1",
  iteration: 0,
  cursor: 0,
  step_count: 6,
  current: null,
  read_only: true,
  spec: { layers: [2, 4, 1], bias: true },
  ...fields,
});

const room = (fields = {}) => ({
  id: "r1",
  network: 1,
  started: "new",
  lecturer_page: "open",
  ...fields,
});

const network = (fields = {}, step = null) => ({ session: session(), step, room: room(fields) });

describe("a follower's store", () => {
  test("the first network is shown whole and says nothing", () => {
    const store = createStore({ href: `${PAGE}?follow=r1` });
    store.applyNetwork(network({}, { number: 2 }));
    assert.equal(store.state.step.number, 2);
    assert.deepEqual(store.state.followed, room());
    assert.equal(store.state.followNote, "");
    assert.equal(store.state.sessionId, null); // a room's id is never the page's session
  });

  test("each later network is a new session, with the one line that says so", () => {
    const store = createStore({ href: `${PAGE}?follow=r1` });
    store.applyNetwork(network({}, { number: 3 }));
    store.state.ranges.set("W1", 2);
    store.applyNetwork(network({ network: 2 }));
    assert.equal(store.state.step, null);
    assert.equal(store.state.ranges.size, 0);
    assert.equal(store.state.followNote, "The lecturer started a new network.");
    store.applyNetwork(network({ network: 3, started: "reset" }));
    assert.equal(store.state.followNote, "The lecturer started the network over.");
  });

  test("the same network again (a reconnection) changes no line and keeps the colour ranges", () => {
    const store = createStore({ href: `${PAGE}?follow=r1` });
    store.applyNetwork(network());
    store.applyNetwork(network({ network: 2 }));
    const note = store.state.followNote;
    store.state.ranges.set("W1", 2);
    store.applyNetwork(network({ network: 2 }, { number: 4 }));
    assert.equal(store.state.followNote, note);
    assert.equal(store.state.ranges.get("W1"), 2);
    assert.equal(store.state.step.number, 4);
  });

  test("details read after a move are dropped when they belong to a newer network", () => {
    const state = { ...createStore().state, followed: room({ network: 2 }) };
    assert.equal(otherNetwork(state, { room: room({ network: 3 }) }), true);
    assert.equal(otherNetwork(state, { room: room({ network: 2 }) }), false);
    assert.equal(otherNetwork(state, { room: null }), false); // a view of one session
    assert.deepEqual(Object.keys(networkPatch(state, network({ network: 3 }))).sort(), [
      "detailsOf",
      "followNote",
      "followed",
      "session",
      "sessionId",
      "step",
    ]);
  });
});

describe("the follower's banner", () => {
  const base = { live: true, followed: room(), followNote: "" };

  for (const [name, state, text, kind] of [
    ["live in a room", base, /^Following the lecturer live/, "live"],
    [
      "live on a view of one session",
      { ...base, followed: null },
      /^Following the lecturer's session live/,
      "live",
    ],
    [
      "the lecturer's page closed",
      { ...base, followed: room({ lecturer_page: "closed" }) },
      /page is closed\. You stay on the last step shown/,
      "still",
    ],
    [
      "the connection dropped",
      { ...base, dropped: true, followed: room({ lecturer_page: "closed" }) },
      /^The connection has dropped\. You stay on the last step shown, and the page follows again/,
      "still",
    ],
    [
      "the stream ended",
      { ...base, live: false, followNote: "This room has ended." },
      /^This room has ended\.$/,
      "still",
    ],
  ]) {
    test(`says how it follows: ${name}`, () => {
      const banner = followBanner(state);
      assert.match(banner.text, text);
      assert.equal(banner.kind, kind);
      assert.doesNotMatch(banner.text, /went wrong/i);
    });
  }

  test("carries the line about the lecturer's new network while live", () => {
    const banner = followBanner({ ...base, followNote: "The lecturer started a new network." });
    assert.equal(banner.note, "The lecturer started a new network.");
  });
});

describe("a follower's connection", () => {
  /** An EventSource as the browser's: listeners by event name, and a `readyState`. */
  class FakeSource {
    static CLOSED = 2;
    static made = [];
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.listeners = new Map();
      FakeSource.made.push(this);
    }
    addEventListener(name, listener) {
      this.listeners.set(name, listener);
    }
    close() {
      this.readyState = FakeSource.CLOSED;
    }
    emit(name, data) {
      this.listeners.get(name)?.({ data: data === undefined ? "" : JSON.stringify(data) });
    }
  }

  function follow() {
    const said = [];
    globalThis.EventSource = FakeSource;
    followView("r1", {
      onNetwork: () => said.push("network"),
      onAnswer: () => said.push("step"),
      onRoom: () => said.push("room"),
      onDropped: (dropped) => said.push(dropped ? "dropped" : "back"),
      onGone: (text) => said.push(text),
    });
    return [FakeSource.made.at(-1), said];
  }

  afterEach(() => {
    mock.timers.reset();
    delete globalThis.EventSource;
  });

  test("a reconnection within a few seconds (the server ends each stream) says nothing", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const [source, said] = follow();
    source.emit("open");
    source.emit("network", network());
    source.emit("error");
    mock.timers.tick(DROPPED_MS - 1);
    source.emit("open");
    mock.timers.tick(DROPPED_MS * 2);
    assert.deepEqual(said, ["network"]);
  });

  test("a connection down for longer is said to have dropped, once, and said back", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const [source, said] = follow();
    source.emit("open");
    for (let second = 0; second < 10; second += 1) {
      source.emit("error"); // each attempt to connect again fails
      mock.timers.tick(1000);
    }
    assert.deepEqual(said, ["dropped"]);
    source.emit("open");
    source.emit("network", network());
    assert.deepEqual(said, ["dropped", "back", "network"]);
  });

  test("a stream the browser gives up on ends the follow for good", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const [source, said] = follow();
    source.readyState = FakeSource.CLOSED;
    source.emit("error");
    mock.timers.tick(DROPPED_MS * 2);
    assert.equal(said.length, 1);
    assert.match(said[0], /cannot be reached\. You stay on the last step shown/);
  });
});

describe("where students can open the link", () => {
  const lan = {
    this_machine: true,
    serve: "HOST=0.0.0.0 make run",
    links: [{ url: "http://192.168.1.20:8000/?follow=r1" }],
  };

  test("nothing needs saying for a public address", () => {
    assert.equal(
      reachNote({
        this_machine: false,
        serve: null,
        links: [{ url: "https://bpv.example/?follow=r1" }],
      }),
      "",
    );
  });

  test("a page opened on this machine says how to serve for the room", () => {
    assert.match(reachNote(lan), /127\.0\.0\.1 or localhost.*HOST=0\.0\.0\.0 make run/s);
    assert.match(
      reachNote({ ...lan, links: [] }),
      /no other network address.*HOST=0\.0\.0\.0 make run/s,
    );
  });
});

describe("the lecturer's room", () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  /** Answers each request from `answers` (method and path → [status, body]), recording it. */
  function serve(answers) {
    const asked = [];
    globalThis.fetch = async (path, options) => {
      asked.push([options.method, path, options.body ? JSON.parse(options.body) : null]);
      const [status, body] = answers[`${options.method} ${path}`] ?? [
        500,
        { detail: "unexpected" },
      ];
      return new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    };
    return asked;
  }

  const links = {
    page: "/?follow=r1",
    links: [{ url: "http://h/?follow=r1", via: "request", qr: "/api/views/r1/qr.svg" }],
    this_machine: false,
    serve: null,
  };

  test("is made once, kept for the tab, and re-pointed to each new session", async () => {
    const tab = memoryStorage();
    const store = createStore({ href: PAGE, tabStorage: tab });
    const asked = serve({
      "POST /api/rooms": [201, { id: "r1", key: "k1", page: "/?follow=r1" }],
      "GET /api/views/r1/links": [200, links],
      "PUT /api/rooms/r1": [200, room({ network: 2 })],
    });
    const owner = new RoomOwner(store, { onError: assert.fail, beacon: () => true });
    store.update({ sessionId: "s1" });
    await owner.open();
    await owner.open();
    assert.deepEqual(JSON.parse(tab.held.get("bpv-room")), { id: "r1", key: "k1" });
    assert.deepEqual(store.state.roomLinks, links);
    store.update({ sessionId: "s2" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await owner.restarted();
    owner.beat(false);
    assert.deepEqual(
      asked.map(([method, path, body]) => [method, path, body]),
      [
        ["POST", "/api/rooms", { session: "s1" }],
        ["GET", "/api/views/r1/links", null],
        ["GET", "/api/views/r1/links", null],
        ["PUT", "/api/rooms/r1", { key: "k1", session: "s2", restart: false }],
        ["PUT", "/api/rooms/r1", { key: "k1", session: "s2", restart: true }],
      ],
    );
  });

  test("a reloaded tab keeps its room; another page that follows one owns none", () => {
    const tab = memoryStorage({ "bpv-room": JSON.stringify({ id: "r1", key: "k1" }) });
    assert.deepEqual(createStore({ href: PAGE, tabStorage: tab }).state.room, {
      id: "r1",
      key: "k1",
    });
    assert.equal(createStore({ href: `${PAGE}?follow=r9`, tabStorage: tab }).state.room, null);
    const broken = memoryStorage({ "bpv-room": "{not json" });
    assert.equal(createStore({ href: PAGE, tabStorage: broken }).state.room, null);
  });

  test("a room the server no longer knows is forgotten, and the lecturer told so calmly", async () => {
    const tab = memoryStorage({ "bpv-room": JSON.stringify({ id: "r1", key: "k1" }) });
    const store = createStore({ href: PAGE, tabStorage: tab });
    serve({ "PUT /api/rooms/r1": [404, { detail: "no view with id 'r1'" }] });
    const owner = new RoomOwner(store, { onError: assert.fail, beacon: () => true });
    store.update({ sessionId: "s1" });
    await owner.point();
    owner.beat(false);
    assert.equal(store.state.room, null);
    assert.equal(tab.held.has("bpv-room"), false);
    assert.equal(store.state.message.kind, "warning");
  });

  test("says by a beacon that the page has closed, with its key", async () => {
    const store = createStore({
      href: PAGE,
      tabStorage: memoryStorage({ "bpv-room": JSON.stringify({ id: "r1", key: "k1" }) }),
    });
    const sent = [];
    const owner = new RoomOwner(store, {
      onError: assert.fail,
      beacon: (path, body) => sent.push([path, body]),
    });
    owner.left();
    owner.stop();
    assert.equal(sent.length, 2);
    assert.equal(sent[0][0], "/api/rooms/r1/leave");
    assert.deepEqual(JSON.parse(await sent[0][1].text()), { key: "k1" });
    assert.equal(sent[0][1].type, "application/json");
    assert.equal(store.state.room, null);
  });
});
