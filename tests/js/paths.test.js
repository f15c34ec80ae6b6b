// paths.js: the one place that knows the prefix the app is published under (ROOT_PATH).

import assert from "node:assert/strict";
import { test } from "node:test";

globalThis.location = { origin: "https://uni.example" };

/** paths.js as a page under `root` loads it (a fresh module instance per call): the server
 * writes the prefix on <html data-root-path>, or nothing at all. */
async function pathsUnder(root) {
  globalThis.document = { documentElement: { dataset: root === null ? {} : { rootPath: root } } };
  try {
    return await import(`../../static/js/paths.js?root=${encodeURIComponent(String(root))}`);
  } finally {
    delete globalThis.document;
  }
}

test("under a prefix every app path carries it", async () => {
  const { rootPath, appPath, appUrl } = await pathsUnder("/bpv");

  assert.equal(rootPath, "/bpv");
  assert.equal(appPath("/api/presets"), "/bpv/api/presets");
  assert.equal(appPath("/?follow=abc"), "/bpv/?follow=abc");
  assert.equal(appUrl("/?follow=abc"), "https://uni.example/bpv/?follow=abc");
});

for (const root of ["", null]) {
  test(`at the root of its host (${JSON.stringify(root)}) paths are left as they are`, async () => {
    const { appPath, appUrl } = await pathsUnder(root);

    assert.equal(appPath("/api/sessions"), "/api/sessions");
    assert.equal(appUrl("/"), "https://uni.example/");
  });
}
