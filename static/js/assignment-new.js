// Wiring of the page that sets an assignment (/assignments/new): the form of the network
// template, the tasks it offers (asked of the server as the template changes), the grading
// rules; then the two links. Opened with `#spec=` (a network link of the stepping page), the
// form starts from that network.

import { decodeSpec } from "./address.js";
import * as api from "./api.js";
import * as assignments from "./assignment-api.js";
import { fromHash, problemsByField, taskName } from "./assignment-state.js";
import { byId } from "./dom.js";
import { numberOrText, parseTable } from "./state.js";

/** The form's fields whose refusals are said next to them, by the API's field name. */
const FIELDS = [
  "title",
  "layers",
  "activations",
  "loss",
  "batch",
  "learning_rate",
  "decimals",
  "inputs",
  "tasks",
  "tolerance",
  "attempts",
  "closes_at",
];

const listOf = (text) =>
  text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((part) => numberOrText(part));

function names(text) {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  return parts.length === 1 ? parts[0] : parts;
}

/** The template as the form has it (numbers where they are numbers, for the API to judge). */
function template() {
  const inputs = byId("inputs").value.trim();
  const body = {
    layers: listOf(byId("layers").value),
    activations: names(byId("activations").value),
    loss: byId("loss").value,
    bias: byId("bias").checked,
    learning_rate: numberOrText(byId("learning-rate").value),
    decimals: numberOrText(byId("decimals").value),
  };
  if (inputs) {
    body.inputs = parseTable(inputs).map((row) => row.map(numberOrText));
    body.batch = null;
  } else {
    body.batch = numberOrText(byId("batch").value);
  }
  if (byId("same-weights").checked) {
    body.weights_seed = crypto.getRandomValues(new Uint32Array(1))[0];
  }
  return body;
}

function showProblems(detail) {
  const problems = problemsByField(detail);
  for (const field of FIELDS) {
    const note = byId(`${field}-problem`);
    note.textContent = problems[field] ?? "";
    note.hidden = !problems[field];
    const input = document.querySelector(`[aria-describedby~="${field}-problem"]`);
    if (input && field !== "tasks") input.setAttribute("aria-invalid", String(!note.hidden));
  }
  const rest = Object.entries(problems)
    .filter(([field]) => !FIELDS.includes(field))
    .map(([, msg]) => msg);
  byId("form-problem").textContent = rest.join(" ");
  byId("form-problem").hidden = rest.length === 0;
  const first = FIELDS.find((field) => problems[field]);
  const target = first === "tasks" ? byId("task-choices").querySelector("input") : null;
  (target ?? document.querySelector(`[aria-describedby~="${first}-problem"]`))?.focus();
}

function clearProblems() {
  showProblems([]);
}

// --- the tasks the template offers -------------------------------------------------------------

let asked = 0; // the last request for the tasks: an older answer is dropped

async function offerTasks() {
  const mine = ++asked;
  const chosen = new Set(
    [...byId("task-choices").querySelectorAll("input:checked")].map((input) => input.value),
  );
  let offered;
  try {
    offered = await assignments.listTasks(template());
  } catch (error) {
    if (mine !== asked) return;
    byId("task-choices").replaceChildren();
    if (error instanceof api.ApiError && Array.isArray(error.detail)) {
      const detail = error.detail.map((issue) => ({
        ...issue,
        loc: ["body", "template", ...issue.loc.slice(1)],
      }));
      showProblems(detail);
    }
    return;
  }
  if (mine !== asked) return;
  clearProblems();
  if (chosen.size === 0) chosen.add(offered.tasks.find((t) => t.name.startsWith("Delta"))?.name);
  const boxes = offered.tasks.map((task) => {
    const label = document.createElement("label");
    label.className = "checkbox-label";
    const input = document.createElement("input");
    input.type = "checkbox";
    input.value = task.name;
    input.checked = chosen.has(task.name);
    label.append(input, ` ${taskName(task.name)} (${task.shape.join(" × ")}, step ${task.step})`);
    return label;
  });
  byId("task-choices").replaceChildren(...boxes);
}

let pending = null;
function offerSoon() {
  clearTimeout(pending);
  pending = setTimeout(offerTasks, 300);
}

// --- setting it ----------------------------------------------------------------------------------

async function create(event) {
  event.preventDefault();
  const attempts = byId("attempts").value.trim();
  const closes = byId("closes-at").value;
  const body = {
    title: byId("title").value,
    template: template(),
    tasks: [...byId("task-choices").querySelectorAll("input:checked")].map((input) => input.value),
    tolerance: numberOrText(byId("tolerance").value),
    attempts: attempts === "" ? null : numberOrText(attempts),
    closes_at: closes ? new Date(closes).toISOString() : null,
  };
  const button = byId("create");
  button.disabled = true;
  try {
    const created = await assignments.createAssignment(body);
    clearProblems();
    const student = new URL(created.assignment.page, window.location.href).toString();
    const lecturer = new URL(created.lecturer_page, window.location.href).toString();
    byId("new-student-link").value = student;
    byId("new-lecturer-link").value = lecturer;
    byId("open-lecturer").href = lecturer;
    byId("new-form").hidden = true;
    byId("created").hidden = false;
    byId("created").focus();
  } catch (error) {
    if (error instanceof api.ApiError && Array.isArray(error.detail)) showProblems(error.detail);
    else showProblems([{ loc: [], msg: api.describe(error) }]);
  } finally {
    button.disabled = false;
  }
}

// --- start -----------------------------------------------------------------------------------

function prefill(spec) {
  byId("layers").value = spec.layers.join(", ");
  const activations = Array.isArray(spec.activations) ? spec.activations : [spec.activations];
  byId("activations").value = activations.map((a) => (Array.isArray(a) ? a[0] : a)).join(", ");
  if (spec.loss) byId("loss").value = spec.loss;
  byId("bias").checked = spec.bias ?? true;
  if (spec.learning_rate) byId("learning-rate").value = spec.learning_rate;
  if (Array.isArray(spec.inputs)) byId("batch").value = spec.inputs.length;
}

async function start() {
  const [objectives, activations] = await Promise.all([
    api.listObjectives(),
    api.listActivations(),
  ]);
  byId("loss").replaceChildren(
    ...objectives.map((o) =>
      Object.assign(document.createElement("option"), {
        value: o.name,
        textContent: o.name.replaceAll("_", " "),
        selected: o.name === "squared_error",
      }),
    ),
  );
  byId("activations-hint").textContent = `Names: ${activations.map((a) => a.name).join(", ")}.`;
  const spec = fromHash(window.location.href, "spec");
  if (spec) {
    const decoded = decodeSpec(spec);
    if (decoded) prefill(decoded);
  }
  for (const id of ["layers", "activations", "loss", "bias", "batch", "inputs"]) {
    byId(id).addEventListener("input", offerSoon);
    byId(id).addEventListener("change", offerSoon);
  }
  byId("new-form").addEventListener("submit", create);
  await offerTasks();
}

start()
  .catch((error) => {
    const status = byId("status");
    status.textContent = api.describe(error);
    status.hidden = false;
  })
  .finally(() => {
    document.body.dataset.busy = "false";
    document.body.dataset.ready = "true";
  });
