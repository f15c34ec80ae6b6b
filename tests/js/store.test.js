// The page's store: the address read once and written back, the reducers of the session, the
// listeners told of each change, the moves run one at a time.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { defaultLayout, encodeSpec } from "../../static/js/address.js";
import { createStore, needsDetails } from "../../static/js/store.js";

const PAGE = "http://127.0.0.1:8000/";

/** A store opened at `href`, with the addresses it wrote and a storage of its own. */
function opened(href = PAGE, remembered = {}) {
  const written = [];
  const items = new Map(Object.entries(remembered));
  const storage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, value),
  };
  const store = createStore({ href, writeAddress: (next) => written.push(next), storage });
  return { store, written, items };
}

const session = (fields = {}) => ({
  id: "s1",
  iteration: 0,
  cursor: 0,
  step_count: 6,
  current: null,
  read_only: false,
  spec: { layers: [2, 4, 1], bias: true },
  ...fields,
});

describe("the store writes the address", () => {
  test("only when a field the address carries changes, and only then", () => {
    const { store, written } = opened();
    store.update({ speed: 2, predict: true });
    assert.deepEqual(written, []);
    store.applySession(session());
    assert.deepEqual(written, [`${PAGE}?session=s1`]);
    store.setNotation({ convention: "row" });
    store.setNotation({ convention: "row" });
    assert.deepEqual(written.slice(1), [`${PAGE}?session=s1&convention=row`]);
    assert.equal(store.address, written.at(-1));
  });

  test("presenter mode turns the equation layout on and off, a chosen layout is kept", () => {
    const { store, written } = opened();
    store.setPresenter(true);
    assert.equal(store.state.layout, defaultLayout(true));
    assert.equal(written.at(-1), `${PAGE}?presenter=1`);
    store.setLayout("panels");
    assert.equal(written.at(-1), `${PAGE}?presenter=1&layout=panels`);
    store.setPresenter(false);
    assert.equal(store.state.layout, "panels");
    assert.equal(written.at(-1), PAGE);
    assert.throws(() => store.setLayout("grid"), /no layout "grid"/);
  });

  test("the new network goes to the hash", () => {
    const { store, written } = opened(`${PAGE}?session=old`);
    const spec = { layers: [2, 2, 1] };
    store.update({ spec });
    assert.equal(written.at(-1), `${PAGE}?session=old#spec=${encodeSpec(spec)}`);
  });

  test("the network of the address stays as it was written while it is the same", () => {
    const text = Buffer.from('{"layers": [2, 2, 1]}').toString("base64url");
    const { store, written } = opened(`${PAGE}#spec=${text}`);
    store.applySession(session());
    store.update({ spec: store.state.spec });
    assert.deepEqual(written, [`${PAGE}?session=s1#spec=${text}`]);
    store.update({ spec: { layers: [2, 2, 1] } }); // the same network, read again: written
    assert.equal(written.at(-1), `${PAGE}?session=s1#spec=${encodeSpec({ layers: [2, 2, 1] })}`);
  });

  test("a colour scale is remembered, and kept up to date in an address that names one", () => {
    const plain = opened();
    plain.store.setScale("contrast");
    assert.equal(plain.items.get("bpv-colour-scale"), "contrast");
    assert.deepEqual(plain.written, []);
    plain.store.setScale("rainbow");
    assert.equal(plain.store.state.scale, "rdbu");
    const named = opened(`${PAGE}?scale=puor`);
    named.store.setScale("contrast");
    assert.equal(named.written.at(-1), `${PAGE}?scale=contrast`);
    assert.equal(opened(PAGE, { "bpv-colour-scale": "puor" }).store.state.scale, "puor");
  });

  test("links are built from the page's own address", () => {
    const { store } = opened("http://host:9/course/?session=s1&presenter=1");
    assert.equal(store.link("/?follow=v1"), "http://host:9/?follow=v1");
    assert.deepEqual(store.networkLink({ layers: [1, 1] }), {
      href: `http://host:9/course/#spec=${encodeSpec({ layers: [1, 1] })}`,
      leftOut: 0,
    });
  });
});

describe("the session's reducers", () => {
  test("a move says where the session is and keeps its spec, parameters and losses", () => {
    const { store } = opened();
    store.applySession(session({ losses: [0.5], weights: [[[1]]] }));
    store.applyMove({
      session: { id: "s1", iteration: 0, cursor: 1, step_count: 6, current: 1 },
      step: { number: 1 },
    });
    assert.deepEqual(store.state.session.losses, [0.5]);
    assert.equal(store.state.session.cursor, 1);
    assert.deepEqual(store.state.step, { number: 1 });
    assert.equal(needsDetails(store.state), false);
  });

  test("a move across an update needs the details, and a stale read of them is left out", () => {
    const { store } = opened();
    store.applySession(session());
    store.applyMove({ session: { id: "s1", iteration: 1, cursor: 0 }, step: { number: 6 } });
    assert.equal(needsDetails(store.state), true);
    store.applyDetails(session({ iteration: 2, losses: [9] })); // it moved on meanwhile
    assert.equal(needsDetails(store.state), true);
    store.applyDetails(session({ iteration: 1, cursor: 3, losses: [0.4] }));
    assert.equal(needsDetails(store.state), false);
    assert.deepEqual(store.state.session.losses, [0.4]);
    assert.equal(store.state.session.cursor, 0); // where the move said
  });

  test("a new session forgets the step and the colour ranges", () => {
    const { store } = opened();
    store.applySession(session());
    store.applyMove({ session: { id: "s1", cursor: 1 }, step: { number: 1 } });
    store.state.ranges.set("W1", 3);
    store.applySession(session({ id: "s2" }));
    assert.equal(store.state.step, null);
    assert.equal(store.state.ranges.size, 0);
    assert.equal(store.state.sessionId, "s2");
  });

  test("a followed session's answers leave the address's session alone", () => {
    const { store, written } = opened(`${PAGE}?follow=v1`);
    store.applyMove({ session: session({ id: "v1", read_only: true }), step: null });
    assert.equal(store.state.sessionId, null);
    assert.deepEqual(written, []);
  });

  test("a new notation forgets the colour ranges", () => {
    const { store } = opened();
    store.state.ranges.set("W1", 3);
    store.setNotation({ view: "homogeneous" });
    assert.equal(store.state.ranges.size, 0);
    assert.equal(store.state.view, "homogeneous");
  });
});

describe("listeners and moves", () => {
  test("a subscriber is told each change at once, with the fields changed", () => {
    const { store } = opened();
    const told = [];
    const unsubscribe = store.subscribe((_state, changed) => told.push([...changed].sort()));
    store.update({ predict: true, tables: false });
    store.update({ predict: true });
    unsubscribe();
    store.update({ predict: false });
    assert.deepEqual(told[0], ["predict"]);
    assert.equal(told.filter((fields) => fields.includes("predict")).length, 1);
  });

  test("a field the store does not have is refused", () => {
    const { store } = opened();
    assert.throws(() => store.update({ zoom: 2 }), /no field "zoom"/);
  });

  test("moves run one at a time, and the settled views see every change once, busy until drawn", async () => {
    const { store } = opened();
    const order = [];
    const settled = [];
    store.onSettled(async (_state, changed) => {
      settled.push([...changed].sort());
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(store.state.busy, true); // still drawing
    });
    const slow = store.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      order.push("first");
      store.applySession(session());
    });
    assert.equal(store.state.busy, true); // at once, as body[data-busy] shows it
    store.run(() => {
      order.push("second");
      store.update({ step: { number: 1 } });
    });
    await slow;
    await store.idle();
    assert.deepEqual(order, ["first", "second"]);
    assert.equal(settled.length, 1);
    assert.ok(settled[0].includes("session") && settled[0].includes("step"));
    assert.equal(store.state.busy, false);
  });

  test("a failed move becomes the message line and stops playing; the next move clears it", async () => {
    const { store } = opened();
    store.applySession(session());
    await store.idle();
    store.play();
    assert.equal(store.state.playing, true);
    await store.run(() => {
      throw new Error("the server cannot be reached");
    });
    assert.deepEqual(store.state.message, {
      text: "Something went wrong: the server cannot be reached",
      kind: "error",
    });
    assert.equal(store.state.playing, false);
    await store.run(() => {});
    assert.equal(store.state.message.text, "");
  });

  test("a change of what the step shows redraws it; a live field does not", async () => {
    const { store } = opened();
    let draws = 0;
    store.onSettled(() => {
      draws += 1;
    });
    store.update({ speed: 3 });
    store.say("hello", "warning");
    await store.idle();
    assert.equal(draws, 0);
    assert.equal(store.state.busy, false);
    store.setScale("puor");
    assert.equal(store.state.busy, true);
    await store.idle();
    assert.equal(draws, 1);
  });

  test("a view that fails to draw says so, and the page is no longer busy", async () => {
    const { store } = opened();
    store.onSettled(() => {
      throw new Error("no canvas");
    });
    await store.run(() => {});
    assert.equal(store.state.message.text, "Something went wrong: no canvas");
    assert.equal(store.state.busy, false);
  });

  test("a followed session cannot play", () => {
    const { store } = opened();
    store.play();
    assert.equal(store.state.playing, false); // no session yet
    store.applyMove({ session: session({ read_only: true }), step: null });
    store.play();
    assert.equal(store.state.playing, false);
  });
});

describe("training and predict", () => {
  test("a training run stops playing, and playing cannot start while it goes on", () => {
    const { store } = opened();
    store.applySession(session());
    store.play();
    assert.equal(store.state.playing, true);
    store.setTraining(true);
    assert.deepEqual([store.state.training, store.state.playing], [true, false]);
    store.play();
    assert.equal(store.state.playing, false);
    store.setTraining(false);
    store.play();
    assert.equal(store.state.playing, true);
  });

  test("the tolerance predictions are graded with is one the API takes", () => {
    const { store } = opened();
    assert.equal(store.state.tolerance, 0.001);
    store.setTolerance("0.01");
    assert.equal(store.state.tolerance, 0.01);
    for (const bad of ["0", "-0.1", "2", "abc"]) {
      assert.throws(() => store.setTolerance(bad), /no tolerance/);
    }
    assert.equal(store.state.tolerance, 0.01);
  });
});
