// A tensor's entries as the matrix renderer reads them: one row-major Float64Array with its
// shape, from the JSON rows an answer sends ("Infinity" and "NaN" as strings), from rows that
// are views of one typed array (api.js), or from the binary encoding; transposed when asked.
// Pure functions: no DOM.

import { entryValue } from "./state.js";

/**
 * The entries of `tensor` (JSON rows, "Infinity"/"NaN" strings included) as a row-major
 * Float64Array with its shape, transposed when `transposed`.
 */
export function matrixValues(tensor, transposed = false) {
  const [rows, cols] = tensor.shape;
  if (!Array.isArray(tensor.data)) return typedValues(tensor, transposed);
  const whole = oneArray(tensor.data, rows * cols);
  if (whole && !transposed) return { rows, cols, values: whole };
  const values = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r += 1) {
    const row = tensor.data[r];
    for (let c = 0; c < cols; c += 1) {
      const entry = row[c];
      values[transposed ? c * rows + r : r * cols + c] =
        typeof entry === "number" ? entry : entryValue(entry);
    }
  }
  return transposed ? { rows: cols, cols: rows, values } : { rows, cols, values };
}

/**
 * The Float64Array of `count` entries whose views `rows` are, one after the other (as
 * api.js' typedRows makes them), or null: the entries as they are, not copied.
 */
function oneArray(rows, count) {
  const first = rows[0];
  if (!(first instanceof Float64Array) || first.length * rows.length !== count) return null;
  const contiguous = rows.every(
    (row, r) =>
      row.buffer === first.buffer && row.byteOffset === first.byteOffset + r * first.byteLength,
  );
  return contiguous ? new Float64Array(first.buffer, first.byteOffset, count) : null;
}

/**
 * The entries of a tensor sent in the binary encoding (`?encoding=binary`: `data` is
 * {"dtype": "f8", "bdata": base64 of little-endian float64, row-major}), as matrixValues.
 */
function typedValues(tensor, transposed) {
  const [rows, cols] = tensor.shape;
  const bytes = atob(tensor.data.bdata);
  const buffer = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) buffer[i] = bytes.charCodeAt(i);
  const values = new Float64Array(buffer.buffer, 0, rows * cols);
  if (!transposed) return { rows, cols, values };
  const flipped = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r += 1)
    for (let c = 0; c < cols; c += 1) flipped[c * rows + r] = values[r * cols + c];
  return { rows: cols, cols: rows, values: flipped };
}

/**
 * The smallest and largest finite entries of `values` (an array of numbers), and how many are
 * not finite (∞, NaN): read once per matrix drawn, for its table's summary and its notice.
 */
export function valueSpread(values) {
  let [low, high, bad] = [Infinity, -Infinity, 0];
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      bad += 1;
    } else {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
  }
  return { low, high, bad };
}

/** Whether two arrays of entries hold the same numbers (NaN equal to NaN, 0 apart from −0). */
export function sameValues(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (!Object.is(a[i], b[i])) return false;
  return true;
}
