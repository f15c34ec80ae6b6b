// Where the app is published. Behind a proxy it may live under a path (ROOT_PATH, e.g. "/bpv"
// for https://uni.example/bpv/), which the server writes on the page as
// <html data-root-path="/bpv">. This module is the one place that knows it: every request and
// link of the page is made from `appPath`.

/** The prefix of the app's paths ("" at the root of its host). */
export const rootPath = globalThis.document?.documentElement?.dataset.rootPath ?? "";

/** `path` of the app ("/api/presets") as the browser asks for it ("/bpv/api/presets"). */
export const appPath = (path) => `${rootPath}${path}`;

/** `path` of the app as a full address on this page's host ("https://uni.example/bpv/…"), e.g.
 * for a link to share or a QR code. */
export const appUrl = (path) => new URL(appPath(path), globalThis.location?.origin).toString();
