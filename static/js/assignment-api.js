// The assignment API as the pages use it: every call with the token of the page (the
// lecturer's or the student's) in the `Authorization` header, never in the address.

import { ApiError, request } from "./api.js";
import { appPath } from "./paths.js";

const base = (id) => appPath(`/api/assignments/${encodeURIComponent(id)}`);
const bearer = (token) => (token ? { Authorization: `Bearer ${token}` } : {});
const query = (convention) => (convention === "row" ? "?convention=row" : "");

// Anyone with the student link.
export const readAssignment = (id) => request("GET", base(id));
export const join = (id, name, number) => request("POST", `${base(id)}/students`, { name, number });

// The lecturer.
export const createAssignment = (body) => request("POST", appPath("/api/assignments"), body);
export const listTasks = (template) => request("POST", appPath("/api/assignment-tasks"), template);
export const readResults = (id, token) =>
  request("GET", `${base(id)}/results`, undefined, bearer(token));
export const changeAssignment = (id, token, change) =>
  request("PATCH", base(id), change, bearer(token));
export const changeSeed = (id, token, number, seed) =>
  request(
    "PUT",
    `${base(id)}/students/${encodeURIComponent(number)}/seed`,
    { seed },
    bearer(token),
  );
export const renewLink = (id, token, number) =>
  request(
    "POST",
    `${base(id)}/students/${encodeURIComponent(number)}/link`,
    undefined,
    bearer(token),
  );

/** The gradebook as a Blob (a download the page saves; the token stays out of the address). */
export async function gradebook(id, token) {
  const response = await fetch(`${base(id)}/gradebook.csv`, { headers: bearer(token) });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail ?? detail;
    } catch {
      // not JSON: the status says enough
    }
    throw new ApiError(response.status, detail);
  }
  return response.blob();
}

// A student, with their own token.
export const readWork = (id, token) => request("GET", `${base(id)}/work`, undefined, bearer(token));
export const readWorkStep = (id, token, convention) =>
  request("GET", `${base(id)}/work/current${query(convention)}`, undefined, bearer(token));
export const stepWork = (id, token, convention) =>
  request("POST", `${base(id)}/work/step${query(convention)}`, undefined, bearer(token));
export const backWork = (id, token, convention) =>
  request("POST", `${base(id)}/work/back${query(convention)}`, undefined, bearer(token));
export const gotoWork = (id, token, convention, step) =>
  request("POST", `${base(id)}/work/goto${query(convention)}`, { step }, bearer(token));
export const submit = (id, token, convention, tensor, values) =>
  request(
    "POST",
    `${base(id)}/work/submissions${query(convention)}`,
    { tensor, values },
    bearer(token),
  );
export const readSolutions = (id, token, convention) =>
  request("GET", `${base(id)}/work/solutions${query(convention)}`, undefined, bearer(token));
