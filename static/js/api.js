// Thin fetch wrappers for the JSON API (/api): one function per endpoint the page uses.

/** An answer of the API that is not a success: `status` and the API's `detail`. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail : `request failed with status ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }
}

async function request(method, path, body) {
  const options = { method, headers: { Accept: "application/json" } };
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

const session = (id) => `/api/sessions/${encodeURIComponent(id)}`;

export const listPresets = () => request("GET", "/api/presets");
export const listActivations = () => request("GET", "/api/activations");
export const listObjectives = () => request("GET", "/api/objectives");

export const createSession = (spec) => request("POST", "/api/sessions", spec);
export const readSession = (id) => request("GET", session(id));
export const readCurrent = (id) => request("GET", `${session(id)}/current`);
export const stepSession = (id) => request("POST", `${session(id)}/step`);
export const backSession = (id) => request("POST", `${session(id)}/back`);
export const gotoStep = (id, step) => request("POST", `${session(id)}/goto`, { step });
export const resetSession = (id) => request("POST", `${session(id)}/reset`);
