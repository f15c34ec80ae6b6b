// Thin fetch wrappers for the JSON API (/api): one function per endpoint the page uses.
// Every path is made by paths.js' appPath, so that the page works where the app is published
// under a path (ROOT_PATH).

import { appPath } from "./paths.js";

/** An answer of the API that is not a success: `status` and the API's `detail`. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(ApiError.sentence(status, detail));
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }
}

/** The API's `detail` as one sentence: its text, or the messages of its issues (422, 409). */
ApiError.sentence = (status, detail) => {
  if (typeof detail === "string") return detail;
  const said = Array.isArray(detail) ? detail.map((issue) => issue?.msg).filter(Boolean) : [];
  return said.length ? said.join(" ") : `request failed with status ${status}`;
};

/** A failure written for the message line: what the server said, or what went wrong. */
export function describe(error) {
  if (error instanceof ApiError) {
    const detail = typeof error.detail === "string" ? error.detail : error.message;
    return error.status ? `The server said (${error.status}): ${detail}` : detail;
  }
  return `Something went wrong: ${error?.message ?? error}`;
}

/** `method path` with a JSON `body` (if any) and extra `headers`; the answer's JSON, or an
 * ApiError with the API's `detail`. */
export async function request(method, path, body, headers = {}) {
  const options = { method, headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (error) {
    throw new ApiError(0, `the server cannot be reached (${error.message})`);
  }
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, payload?.detail ?? response.statusText);
  }
  return payload;
}

const session = (id) => appPath(`/api/sessions/${encodeURIComponent(id)}`);

// The notation (`convention=row`, `view=homogeneous`) the step reads and moves are asked in.
let notationQuery = () => "";

/** Sets the function that gives the notation's query string ("" for the defaults). */
export function useNotation(query) {
  notationQuery = query;
}

const withNotation = (path, extra = "") => {
  const query = [notationQuery(), extra].filter(Boolean).join("&");
  return query ? `${path}?${query}` : path;
};

export const listPresets = () => request("GET", appPath("/api/presets"));
export const listActivations = () => request("GET", appPath("/api/activations"));
export const listObjectives = () => request("GET", appPath("/api/objectives"));

// A session's answer holds its current parameters once; they too are asked for as typed arrays
// (for 784-256-128-10, 2.5 MB where the JSON numbers are 4.7 MB, and read without parsing a
// number). `withParameters` gives each W_i back as rows, each b_i as its n_i entries.
export const createSession = async (spec) =>
  withParameters(await request("POST", appPath("/api/sessions?encoding=binary"), spec));
export const readSession = async (id) =>
  withParameters(await request("GET", `${session(id)}?encoding=binary`));

// A move's answer holds the step's tensors. They are asked for as typed arrays
// (`encoding=binary`): for 784-256-128-10 the server writes the update's 7.5 MB so in a
// fifteenth of the time it takes for 15 MB of JSON numbers, and the page reads them without
// parsing a number. `withRows` gives each tensor's `data` back as rows, as the views read it.
const move = async (method, path, body) =>
  withRows(await request(method, withNotation(path, "encoding=binary"), body));

export const readCurrent = (id) => move("GET", `${session(id)}/current`);
export const stepSession = (id) => move("POST", `${session(id)}/step`);
export const backSession = (id) => move("POST", `${session(id)}/back`);
export const gotoStep = (id, step) => move("POST", `${session(id)}/goto`, { step });

/** The bytes of base64 `text`, with the browser's own decoder where it has one. */
function fromBase64(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The rows of a tensor sent as a typed array (`data`: {"dtype": "f8", "bdata": base64 of
 * little-endian float64, row-major}): `shape[0]` views of one Float64Array, each of
 * `shape[1]` entries, read as JSON rows are (`row[c]`, `for (const entry of row)`).
 */
export function typedRows({ shape: [rows, cols], data }) {
  const bytes = fromBase64(data.bdata);
  const values = new Float64Array(bytes.buffer, bytes.byteOffset, rows * cols);
  return Array.from({ length: rows }, (_, r) => values.subarray(r * cols, (r + 1) * cols));
}

/** The rows of a typed array (`{"dtype": "f8", "bdata", "shape": "r, c"}`) as `typedRows`. */
const arrayRows = (typed) => typedRows({ shape: typed.shape.split(",").map(Number), data: typed });

/**
 * A session's answer with its typed-array `weights` given as rows (W_i[r][c]) and its
 * `biases` as the entries of each column b_i (b_i[r]), as the JSON encoding has them.
 */
export function withParameters(session) {
  if (session?.weights && !Array.isArray(session.weights[0] ?? [])) {
    session.weights = session.weights.map(arrayRows);
  }
  if (session?.biases && !Array.isArray(session.biases[0] ?? [])) {
    session.biases = session.biases.map((typed) => arrayRows(typed).map((row) => row[0]));
  }
  return session;
}

/** A move's answer with each of its step's typed-array tensors given as rows. */
export function withRows(answer) {
  for (const tensor of Object.values(answer?.step?.tensors ?? {})) {
    if (!Array.isArray(tensor.data)) tensor.data = typedRows(tensor);
  }
  return answer;
}
export const resetSession = async (id) =>
  withParameters(await request("POST", `${session(id)}/reset?encoding=binary`));

// Teaching: explain an entry, check a prediction, every form of the gradient.
/** Explains an entry of the step `shown` (a session, or a followed one under its view id). */
export const explainEntry = (shown, tensor, row, col) =>
  request(
    "GET",
    withNotation(
      `${readBase(shown)}/explain`,
      new URLSearchParams({ tensor, row: String(row), col: String(col) }).toString(),
    ),
  );
export const checkPrediction = (id, body) =>
  request("POST", withNotation(`${session(id)}/check`), body);
/** Every form of layer `layer`'s gradient, written out, its matrices as typed arrays. */
export const gradientForms = (id, layer) =>
  request("GET", withNotation(`${session(id)}/gradients`, `layer=${layer}&encoding=binary`));

// Training you can watch, read-only views and exports.
const view = (id) => appPath(`/api/views/${encodeURIComponent(id)}`);

/** Where a session's explanations and exports live: under its view id when the page only
 * follows it. */
export const readBase = ({ id, read_only: readOnly }) => (readOnly ? view(id) : session(id));

/** The decision boundary of a session, or of a followed one under its view id. */
export const readBoundary = (shown, resolution = 60) =>
  request("GET", `${readBase(shown)}/boundary?resolution=${resolution}`);
export const createView = (id) => request("POST", `${session(id)}/view`);
export const readView = (id) => request("GET", withNotation(view(id)));
export const readTrace = (shown) => request("GET", `${readBase(shown)}/export/trace.json`);
export const viewEvents = (id) => withNotation(`${view(id)}/events`);
export const readViewLinks = (id) => request("GET", `${view(id)}/links`);

// Rooms: the link that follows the lecturer's page (POST /api/rooms, then PUT with its key).
const room = (id) => appPath(`/api/rooms/${encodeURIComponent(id)}`);
export const createRoom = (sessionId) => request("POST", appPath("/api/rooms"), { session: sessionId });
export const pointRoom = (id, body) => request("PUT", room(id), body);
/** Where the page says it has closed (a beacon: POST {key}). */
export const roomLeavePath = (id) => `${room(id)}/leave`;

/**
 * POSTs `body` to `path` and calls `onLine` with each object of the JSON Lines answer as soon
 * as its line has arrived (fetch + ReadableStream). A refusal before the stream is an ApiError;
 * `signal` (an AbortSignal) ends the stream, which then rejects with its AbortError.
 */
export async function streamLines(path, body, onLine, signal = undefined) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { Accept: "application/jsonl", "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, `the server cannot be reached (${error.message})`);
  }
  if (!response.ok) {
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    }
    throw new ApiError(response.status, payload?.detail ?? response.statusText);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split("\n");
    buffered = lines.pop();
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
  }
  if (buffered.trim()) onLine(JSON.parse(buffered));
}

/** Trains session `id` for `iterations`, streamed; aborting `signal` stops the run: the server
 * stops at its next chunk (it sees the request gone) and keeps every iteration finished. */
export const trainStream = (id, iterations, onLine, signal = undefined) =>
  streamLines(`${session(id)}/train/stream`, { iterations }, onLine, signal);
