// The page's keys: which action a key takes, by what the focus is on.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { keyAction } from "../../static/js/keyboard.js";

describe("the page's keys", () => {
  const cases = [
    // [key, focus on, action]
    ["ArrowRight", "none", "step"],
    ["ArrowLeft", "none", "back"],
    [" ", "none", "play"],
    [" ", "control", null], // space presses the focused button
    ["ArrowRight", "control", "step"],
    ["ArrowLeft", "control", "back"],
    ["ArrowRight", "menu", "step"], // once a choice is made, the arrows step again
    ["ArrowLeft", "menu", "back"],
    [" ", "menu", null], // space opens the menu
    ["ArrowRight", "text", null],
    ["ArrowLeft", "text", null],
    [" ", "text", null],
    ["ArrowRight", "slider", null],
    [" ", "slider", "play"],
    ["ArrowLeft", "radio", null],
    ["ArrowDown", "none", null],
    ["Enter", "none", null],
    ["ArrowRight", "something new", null], // an unknown kind keeps its keys
  ];
  for (const [key, kind, action] of cases) {
    test(`${JSON.stringify(key)} with the focus on ${kind}: ${action ?? "left to it"}`, () => {
      assert.equal(keyAction(key, kind), action);
    });
  }
});
