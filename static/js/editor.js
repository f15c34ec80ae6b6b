// The network editor: widths, activations, objective, training settings and the data table
// (editor-table.js). It reads and writes specs as the API takes them and puts the API's 422
// messages next to the fields they name; a width over the server's limit is refused at once,
// before a table of that width is drawn.

import { DataTable, element, padded, usableWidth } from "./editor-table.js";
import { fieldErrors, numberOrText, subscript } from "./state.js";

const MIXED = "__per_neuron__";
const NEW_LAYER_ACTIVATION = "tanh";

export class Editor {
  /**
   * `root` is the form; `activations` and `objectives` are the lists of the API;
   * `onApply(spec)` is called with the spec to create a session from.
   */
  constructor(root, { activations, objectives, onApply }) {
    this.root = root;
    this.activations = activations;
    this.objectives = objectives;
    this.onApply = onApply;
    this.widths = ["1", "1"];
    this.layerActivations = ["sigmoid"];
    this.baseline = null;
    this.find = (selector) => root.querySelector(selector);
    this.maxWidth = Number(root.dataset.maxWidth) || Number.POSITIVE_INFINITY;
    this.data = new DataTable(this.find("#data-table"), this.find("#data-table-note"));
    this.fillObjectives();
    this.wire();
  }

  fillObjectives() {
    const select = this.find("#loss");
    select.replaceChildren(
      ...this.objectives.map((o) =>
        element("option", { value: o.name, text: o.name.replaceAll("_", " ") }),
      ),
    );
  }

  needsTargets() {
    const chosen = this.objectives.find((o) => o.name === this.find("#loss").value);
    return chosen ? chosen.needs_targets : true;
  }

  wire() {
    this.root.addEventListener("submit", (event) => {
      event.preventDefault();
      this.onApply(this.read());
    });
    this.find("#add-layer").addEventListener("click", () => {
      const k = this.widths.length - 1;
      this.widths.splice(k, 0, this.widths[k - 1] ?? "2");
      this.layerActivations.splice(k - 1, 0, NEW_LAYER_ACTIVATION);
      this.renderLayers();
      this.renderTable();
    });
    this.find("#loss").addEventListener("change", () => this.renderTable());
    this.find("#bias").addEventListener("change", () => this.updateKeepWeights());
    for (const id of ["#seed", "#init"]) {
      this.find(id).addEventListener("change", () => {
        this.find("#keep-weights").checked = false;
        this.updateKeepWeights();
      });
    }
    this.find("#add-sample").addEventListener("click", () => {
      this.data.addSample(this.tableWidth(0), this.tableWidth(-1));
      this.renderTable();
    });
    this.find("#remove-sample").addEventListener("click", () => {
      this.data.removeSample();
      this.renderTable();
    });
    this.find("#use-csv").addEventListener("click", () => {
      const targets = this.needsTargets() ? this.tableWidth(-1) : 0;
      const error = this.data.fromCsv(this.find("#csv").value, this.tableWidth(0), targets);
      this.find("#csv-error").textContent = error;
      if (!error) this.renderTable();
    });
    this.find("#data-table").addEventListener("paste", (event) => {
      if (this.data.pasted(event, this.tableWidth(0))) this.renderTable();
    });
  }

  /** Width `i` (-1: the last) as the table draws it: none when it is over the server's limit. */
  tableWidth(i) {
    const n = usableWidth(this.widths.at(i));
    return n <= this.maxWidth ? n : 0;
  }

  /** Says at once, next to each width over the server's limit, what the server would. */
  checkWidths() {
    this.widths.forEach((text, i) => {
      const input = this.find(`#width-${i}`);
      const error = this.find(`[data-error-for="layers.${i}"]`);
      const n = usableWidth(text);
      if (n > this.maxWidth) {
        error.textContent = `width ${n} is over the limit ${this.maxWidth}`;
        error.dataset.limit = "true";
        error.id = `error-layers-${i}`;
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id);
      } else if (error.dataset.limit === "true") {
        error.textContent = "";
        delete error.dataset.limit;
        input.removeAttribute("aria-invalid");
      }
    });
  }

  /**
   * Shows `spec` in the form: a preset's or a session's, or one the server refused (from an
   * address), whose entries are shown as they are for the server's messages to point at.
   */
  fill(spec) {
    const texts = (row) => (Array.isArray(row) ? row : [row]).map(String);
    const layers = Array.isArray(spec.layers) && spec.layers.length >= 2 ? spec.layers : [1, 1];
    const k = layers.length - 1;
    this.widths = layers.map(String);
    const acts = spec.activations ?? "sigmoid";
    this.layerActivations = Array.from({ length: k }, (_, i) =>
      typeof acts === "string" ? acts : ((Array.isArray(acts) ? acts[i] : null) ?? "sigmoid"),
    );
    this.find("#bias").checked = spec.bias ?? true;
    this.find("#loss").value = spec.loss ?? "squared_error";
    this.find("#learning-rate").value = String(spec.learning_rate ?? 0.1);
    this.find("#seed").value = String(spec.seed ?? 0);
    this.find("#init").value = spec.init ?? "xavier";
    const inputs = Array.isArray(spec.inputs) && spec.inputs.length > 0 ? spec.inputs : [[]];
    this.data.inputs = inputs.map(texts);
    this.data.targets = inputs.map((_, j) => texts(spec.targets?.[j] ?? []));
    this.baseline = spec;
    this.find("#keep-weights").checked = Boolean(spec.weights);
    this.find("#csv").value = "";
    this.clearErrors();
    this.renderLayers();
    this.renderTable();
  }

  activationSelect(index) {
    const current = this.layerActivations[index];
    const options = this.activations.map((a) =>
      element("option", { value: a.name, text: a.name, title: a.description ?? "" }),
    );
    if (Array.isArray(current)) {
      options.push(element("option", { value: MIXED, text: `per neuron: ${current.join(", ")}` }));
    }
    const select = element(
      "select",
      {
        id: `activation-${index + 1}`,
        dataset: { loc: `activations.${index}` },
        "aria-label": `Activation of layer ${index + 1}`,
      },
      options,
    );
    select.value = Array.isArray(current) ? MIXED : current;
    select.addEventListener("change", () => {
      if (select.value !== MIXED) this.layerActivations[index] = select.value;
    });
    return select;
  }

  renderLayers() {
    const k = this.widths.length - 1;
    const rows = this.widths.map((width, i) => {
      const label = i === 0 ? "inputs" : i === k ? `layer ${i} (output)` : `layer ${i}`;
      const input = element("input", {
        type: "number",
        min: "1",
        step: "1",
        id: `width-${i}`,
        value: width,
        dataset: { loc: `layers.${i}` },
        "aria-label": `Width n${subscript(i)} of ${label}`,
      });
      input.addEventListener("change", () => {
        this.widths[i] = input.value;
        // What was said of this width (by the server, or by checkWidths) is said again anew.
        this.find(`[data-error-for="layers.${i}"]`).textContent = "";
        input.removeAttribute("aria-invalid");
        this.checkWidths();
        this.renderTable();
        this.updateKeepWeights();
      });
      const children = [
        element("span", { className: "layer-name", text: `n${subscript(i)}` }),
        element("span", { className: "layer-role", text: label }),
        input,
      ];
      if (i > 0) children.push(this.activationSelect(i - 1));
      if (i > 0 && i < k) {
        const remove = element("button", {
          type: "button",
          className: "button button-small button-quiet",
          text: "remove",
          "aria-label": `Remove layer ${i}`,
        });
        remove.addEventListener("click", () => {
          this.widths.splice(i, 1);
          this.layerActivations.splice(i - 1, 1);
          this.renderLayers();
          this.renderTable();
        });
        children.push(remove);
      }
      children.push(
        element("span", { className: "field-error", dataset: { errorFor: `layers.${i}` } }),
      );
      if (i > 0) {
        children.push(
          element("span", {
            className: "field-error",
            dataset: { errorFor: `activations.${i - 1}` },
          }),
        );
      }
      return element("li", { className: "layer-row field" }, children);
    });
    this.find("#layers").replaceChildren(...rows);
    this.checkWidths();
    this.updateKeepWeights();
  }

  renderTable() {
    this.data.render(this.tableWidth(0), this.needsTargets() ? this.tableWidth(-1) : 0);
  }

  /** Keeping the initial weights is offered while the widths and biases still fit them. */
  updateKeepWeights() {
    const keep = this.find("#keep-weights");
    const hint = this.find("#keep-weights-hint");
    const base = this.baseline;
    const fits =
      Boolean(base?.weights) &&
      base.layers.length === this.widths.length &&
      base.layers.every((w, i) => usableWidth(this.widths[i]) === w) &&
      (base.bias ?? true) === this.find("#bias").checked;
    keep.disabled = !fits;
    if (!fits) keep.checked = false;
    hint.textContent = fits
      ? "Unticked, the seed and initialisation draw new weights."
      : "New weights are drawn from the seed and initialisation.";
  }

  /** The spec the form describes, as the API takes it; bad entries are sent as typed. */
  read() {
    // A width over the limit is sent as it is (the server says why), with no entries for it.
    const n = this.tableWidth(0);
    const nk = this.tableWidth(-1);
    const { inputs, targets } = this.data;
    const spec = {
      layers: this.widths.map(numberOrText),
      activations: [...this.layerActivations],
      bias: this.find("#bias").checked,
      loss: this.find("#loss").value,
      inputs: inputs.map((row) => padded(row, n).map(numberOrText)),
      targets: this.needsTargets()
        ? inputs.map((_, j) => padded(targets[j] ?? [], nk).map(numberOrText))
        : null,
      seed: numberOrText(this.find("#seed").value),
      init: this.find("#init").value,
      learning_rate: numberOrText(this.find("#learning-rate").value),
    };
    const keep = this.find("#keep-weights");
    if (keep.checked && !keep.disabled && this.baseline) {
      spec.weights = this.baseline.weights;
      if (spec.bias && this.baseline.biases) spec.biases = this.baseline.biases;
    }
    return spec;
  }

  clearErrors() {
    for (const node of this.root.querySelectorAll(".field-error")) {
      node.textContent = "";
      delete node.dataset.limit;
    }
    for (const node of this.root.querySelectorAll("[aria-invalid]"))
      node.removeAttribute("aria-invalid");
    const general = this.find("#editor-error");
    general.textContent = "";
    general.hidden = true;
  }

  /** Puts each message of a 422 answer next to the field its `loc` names; `lead`, a sentence
   * saying where the network came from, heads the editor's own error line. */
  showErrors(detail, lead = "") {
    this.clearErrors();
    if (lead) {
      const general = this.find("#editor-error");
      general.hidden = false;
      general.textContent = lead;
    }
    let first = null;
    for (const [key, message] of fieldErrors(detail)) {
      const parts = key === "" ? [] : key.split(".");
      const field = this.root.querySelector(`[data-loc="${CSS.escape(key)}"]`);
      let container = null;
      for (let length = parts.length; length > 0 && !container; length -= 1) {
        const prefix = parts.slice(0, length).join(".");
        container = this.root.querySelector(`[data-error-for="${CSS.escape(prefix)}"]`);
      }
      if (field) {
        field.setAttribute("aria-invalid", "true");
        first = first ?? field;
      }
      const where = field?.dataset.label ?? (container?.dataset.errorFor === key ? "" : key);
      const text = where ? `${where}: ${message}` : message;
      if (container) {
        container.textContent = container.textContent ? `${container.textContent} ${text}` : text;
        if (container.id === "") container.id = `error-${key || "spec"}`.replaceAll(".", "-");
        field?.setAttribute("aria-describedby", container.id);
      } else {
        const general = this.find("#editor-error");
        general.hidden = false;
        general.textContent = general.textContent ? `${general.textContent} ${text}` : text;
      }
    }
    first?.focus();
  }
}
