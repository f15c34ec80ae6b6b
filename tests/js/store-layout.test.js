// The layout chosen (equation | panels): kept in the address, remembered for the next page.
import assert from "node:assert/strict";
import { test } from "node:test";

import { createStore } from "../../static/js/store.js";

const PAGE = "http://127.0.0.1:8000/";

/** A storage shared by the pages opened with it, as a browser's is. */
function browser() {
  const items = new Map();
  const storage = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
  };
  const open = (href = PAGE) => {
    const written = [];
    const store = createStore({ href, writeAddress: (next) => written.push(next), storage });
    return { store, written };
  };
  return { open, items };
}

test("a layout chosen is kept in the address and remembered for the next page opened", () => {
  const { open } = browser();
  const first = open();
  assert.equal(first.store.state.layout, "panels");
  first.store.setLayout("equation");
  assert.equal(first.written.at(-1), `${PAGE}?layout=equation`);
  const next = open();
  assert.equal(next.store.state.layout, "equation");
});

test("the address's layout comes before the one remembered", () => {
  const { open } = browser();
  open().store.setLayout("equation");
  assert.equal(open(`${PAGE}?layout=panels`).store.state.layout, "panels");
});

test("presenter mode has its own layout and leaves the one remembered as it was", () => {
  const { open } = browser();
  const { store } = open();
  store.setLayout("equation");
  store.setPresenter(true);
  store.setLayout("panels");
  store.setPresenter(false);
  assert.equal(store.state.layout, "equation");
  assert.equal(open(`${PAGE}?presenter=1`).store.state.layout, "equation");
  assert.equal(open().store.state.layout, "equation");
});
