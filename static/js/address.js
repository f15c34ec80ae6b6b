// The page's address: which fields of the store's state it carries and how they are written
// there (`?session=…&convention=…&view=…&layout=…&presenter=1&follow=…`, `#spec=…`). Only the
// store (store.js) reads the address, once, and writes it back.

import { DEFAULT_SCALE, SCALES } from "./scales.js";

/** The page's layouts: the matrices in panels beside the formulas, or the equation view. */
export const LAYOUTS = ["panels", "equation"];

/** The layout a mode starts in: the equation view on a projector, the panels otherwise. */
export const defaultLayout = (presenter) => (presenter ? "equation" : "panels");

/**
 * A field of two values, its parameter of the same name: the address carries `other` only, and
 * reads anything else (or nothing) as `usual`.
 */
function either(key, usual, other) {
  return {
    key,
    param: key,
    read: (q) => (q.get(key) === other ? other : usual),
    write: (s) => (s[key] === other ? other : null),
  };
}

/**
 * The fields the address carries. `read(query, hash)` gives the field's value from the
 * address's query and hash parameters (URLSearchParams; the spec's with the problem it may
 * have, readSpec); `write(state)` the parameter's text, or null to leave it out (a default).
 */
const ADDRESS = [
  {
    key: "sessionId",
    param: "session",
    read: (q) => q.get("session") || null,
    write: (s) => (s.follow ? null : s.sessionId),
  },
  either("convention", "column", "row"),
  either("view", "affine", "homogeneous"),
  either("names", "paper", "qa"),
  {
    key: "layout",
    param: "layout",
    read: readLayout,
    write: (s) => (s.layout === defaultLayout(s.presenter) ? null : s.layout),
  },
  {
    key: "presenter",
    param: "presenter",
    read: (q) => q.get("presenter") === "1",
    write: (s) => (s.presenter ? "1" : null),
  },
  { key: "follow", param: "follow", read: (q) => q.get("follow") || null, write: (s) => s.follow },
  // Read once with the problem it may have (readSpec: 68 kB for 784-256-128-10 with 8
  // samples), and written only when the spec changed (writeAddress' `kept`).
  {
    key: "spec",
    hash: "spec",
    read: (_q, h) => (h.get("spec") ? readSpec(h.get("spec")) : { spec: null, problem: null }),
    write: (s) => (s.spec ? encodeSpec(linkedSpec(s.spec).spec) : null),
  },
];

function readLayout(query) {
  const asked = query.get("layout");
  return LAYOUTS.includes(asked) ? asked : defaultLayout(query.get("presenter") === "1");
}

const hashParams = (url) => new URLSearchParams(url.hash.replace(/^#/, ""));

/** `bytes` as base64url without padding, with the browser's own encoder where it has one. */
function toBase64url(bytes) {
  if (bytes.toBase64) return bytes.toBase64({ alphabet: "base64url", omitPadding: true });
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The bytes of base64url `text` (unpadded), with the browser's own decoder where it has one. */
function fromBase64url(text) {
  const base64 = text.replaceAll("-", "+").replaceAll("_", "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(padded);
  return Uint8Array.from(atob(padded), (ch) => ch.charCodeAt(0));
}

/**
 * The most numbers of inputs and targets a `#spec=` writes in its JSON: a batch of more is
 * written after it as float64 bytes (8 bytes a number, 10.7 characters of base64url, against
 * about 25 for a number in base64url JSON: 784-256-128-10 with 8 samples, 6,352 numbers,
 * 165 kB as JSON, 68 kB so). The numbers are the same doubles either way.
 */
export const JSON_NUMBERS = 256;

/** `rows` as float64 bytes, row after row, little-endian; null unless each row has `width` numbers. */
function matrixBytes(rows, width) {
  if (!Array.isArray(rows) || !Number.isInteger(width) || width < 1) return null;
  const bytes = new Uint8Array(rows.length * width * 8);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== width) return null;
    for (const x of row) {
      if (typeof x !== "number") return null;
      view.setFloat64(at, x, true);
      at += 8;
    }
  }
  return bytes;
}

/** The rows of `width` numbers that float64 `bytes` hold (matrixBytes undone); null if they do not fit. */
function bytesMatrix(bytes, width) {
  if (!Number.isInteger(width) || width < 1 || bytes.length % (8 * width) !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / (8 * width) }, (_, r) =>
    Array.from({ length: width }, (_, c) => view.getFloat64((r * width + c) * 8, true)),
  );
}

/** How many numbers `value` holds: 1 for a number, the sum over its items for a list. */
const numbersIn = (value) =>
  Array.isArray(value) ? value.reduce((sum, item) => sum + numbersIn(item), 0) : 1;

const widths = (spec) => [spec.layers[0], spec.layers[spec.layers.length - 1]];

/**
 * A spec for `#spec=`: base64url of its JSON (UTF-8). A batch of more than JSON_NUMBERS inputs
 * and targets is written after it instead, each as base64url of float64 bytes (samples as
 * rows, n_0 and n_k numbers each): `JSON.inputs.targets`, or `JSON.inputs` with no targets.
 */
export function encodeSpec(spec) {
  const json = (value) => toBase64url(new TextEncoder().encode(JSON.stringify(value)));
  const { inputs, targets } = spec ?? {};
  const count = (rows) => (rows ? numbersIn(rows) : 0);
  if (!Array.isArray(spec?.layers) || count(inputs) + count(targets) <= JSON_NUMBERS) {
    return json(spec);
  }
  const [inputWidth, targetWidth] = widths(spec);
  const x = matrixBytes(inputs, inputWidth);
  const y = targets == null ? null : matrixBytes(targets, targetWidth);
  if (!x || (targets != null && !y)) return json(spec); // the server says what does not fit
  const { inputs: _x, targets: _y, ...rest } = spec;
  return [json(rest), toBase64url(x), ...(y ? [toBase64url(y)] : [])].join(".");
}

/**
 * The most numbers of explicit starting weights and biases a network's address carries (about
 * 25 kB of `#spec=`). A spec whose weights are drawn from its seed carries none: its `seed` and
 * `init` draw the same weights on every server.
 */
export const LINK_NUMBERS = 1000;

/**
 * The spec an address carries for `spec`: `spec` itself, or, when its explicit weights and
 * biases are more than LINK_NUMBERS numbers, the spec without them (its seed and
 * initialisation then draw new ones). `leftOut` is how many numbers were left out (0: none).
 */
export function linkedSpec(spec) {
  const given =
    (spec.weights ? numbersIn(spec.weights) : 0) + (spec.biases ? numbersIn(spec.biases) : 0);
  if (given <= LINK_NUMBERS) return { spec, leftOut: 0 };
  return { spec: { ...spec, weights: null, biases: null }, leftOut: given };
}

/**
 * A link that builds network `spec` in a new session: the page at `href` with `#spec=` only
 * (`linkedSpec`: big explicit weights left out); `leftOut` as linkedSpec says.
 */
export function networkLink(href, spec) {
  const url = new URL(href);
  const linked = linkedSpec(spec);
  return {
    href: `${url.origin}${url.pathname}#spec=${encodeSpec(linked.spec)}`,
    leftOut: linked.leftOut,
  };
}

/**
 * What `#spec=` holds: `{ spec, problem: null }` when it is a network spec (a JSON object with
 * a "layers" list; the server judges the rest), else `{ spec: null, problem }`: "unreadable"
 * when it is not what encodeSpec writes (a link cut short or damaged), "not-a-spec" when it is
 * JSON of something else.
 */
export function readSpec(text) {
  const [head, ...batch] = text.split(".");
  let value;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(fromBase64url(head)));
  } catch {
    return { spec: null, problem: "unreadable" };
  }
  const isSpec =
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Array.isArray(value.layers);
  if (!isSpec) return { spec: null, problem: "not-a-spec" };
  if (batch.length === 0) return { spec: value, problem: null };
  const read = (part, width) => {
    try {
      return bytesMatrix(fromBase64url(part), width);
    } catch {
      return null;
    }
  };
  const [inputWidth, targetWidth] = widths(value);
  const inputs = read(batch[0], inputWidth);
  const targets = batch.length === 2 ? read(batch[1], targetWidth) : undefined;
  if (
    batch.length > 2 ||
    !inputs ||
    targets === null ||
    (targets && targets.length !== inputs.length)
  ) {
    return { spec: null, problem: "unreadable" };
  }
  return { spec: { ...value, inputs, ...(targets ? { targets } : {}) }, problem: null };
}

/** The spec `encodeSpec` wrote, or null when `text` is not one. */
export function decodeSpec(text) {
  return readSpec(text).spec;
}

/**
 * The fields an address asks for: those of ADDRESS, the colour scale of `?scale=` (else the
 * one `remembered`, else the default), and `specProblem`, why its `#spec=` cannot be used
 * (readSpec), or null.
 */
export function readAddress(href, remembered = null) {
  const url = new URL(href);
  const [query, hash] = [url.searchParams, hashParams(url)];
  const values = Object.fromEntries(ADDRESS.map(({ key, read }) => [key, read(query, hash)]));
  const { spec: linked, ...fields } = values;
  const asked = [query.get("scale"), remembered].find((name) => Object.hasOwn(SCALES, name ?? ""));
  return {
    ...fields,
    spec: linked.spec,
    scale: asked ?? DEFAULT_SCALE,
    specProblem: linked.problem,
  };
}

/**
 * `href` with the fields of `state` written into it: each parameter of ADDRESS set or left
 * out; `?scale=` kept up to date where the address has one; every other parameter kept.
 * The fields of `kept` (a set of keys) are those `href` already holds as `state` has them:
 * their parameters stay as written there (a spec is not written again while it is the same).
 */
export function writeAddress(href, state, kept = new Set()) {
  const url = new URL(href);
  const hash = hashParams(url);
  for (const { key, param, hash: inHash, write } of ADDRESS) {
    const params = inHash ? hash : url.searchParams;
    const name = param ?? inHash;
    if (kept.has(key) && state[key] !== null && params.has(name)) continue;
    const value = write(state);
    if (value === null || value === undefined) params.delete(name);
    else params.set(name, value);
  }
  if (url.searchParams.has("scale")) url.searchParams.set("scale", state.scale);
  url.hash = hash.toString();
  return url.toString();
}

/** The fields of the state whose change may change the address. */
export const ADDRESS_FIELDS = new Set([...ADDRESS.map(({ key }) => key), "scale"]);
