// Numbers written for people: three significant digits everywhere (matrix cells, hover, the
// tables, what a screen reader hears, the diagram), a real minus sign, ∞ and NaN by name. No DOM.

const MINUS = "\u2212";

/** Up to this size (and from 1e-3) an entry is written positionally, else with an exponent. */
const POSITIONAL = [1e-3, 1e4];

const trimZeros = (mantissa) => mantissa.replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");

/**
 * An entry with three significant digits, trailing zeros dropped: −0.00148, 0.026, 12.3, 1230,
 * 1.48e−4, 2.5e7; 0 is "0", non-finite entries are "∞", "−∞" and "NaN".
 */
export function formatValue(value) {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : `${MINUS}∞`;
  if (value === 0) return "0";
  const size = Math.abs(value);
  if (size >= POSITIONAL[0] && size < POSITIONAL[1]) {
    // toPrecision(3) of 1234.5 is "1.23e+3": Number() writes it out as 1230.
    const rounded = Number(value.toPrecision(3));
    // Rounding can carry past the range's edge (9999.7 → 1e4): written with an exponent then.
    if (Math.abs(rounded) < POSITIONAL[1]) return String(rounded).replace("-", MINUS);
  }
  const [mantissa, exponent] = value.toExponential(2).split("e");
  return `${trimZeros(mantissa)}e${Number(exponent)}`.replaceAll("-", MINUS);
}

/** The half-range r of a colour scale [−r, r], for its labels: as an entry is written. */
export function formatRange(range) {
  return formatValue(range);
}

/**
 * What a screen reader hears for one entry, and what the hover says in words:
 * "Δ₁ row 2 column 3: −0.026"; `note` adds to it (e.g. "not finite").
 */
export function entrySentence(label, row, col, value) {
  const written = formatValue(value);
  const kind = Number.isFinite(value) ? "" : " (not a finite number)";
  return `${label} row ${row} column ${col}: ${written}${kind}`;
}

/** An entry as the hover label writes it: "Δ₁[2, 3] = −0.026". */
export function entryLabel(label, row, col, value) {
  return `${label}[${row}, ${col}] = ${formatValue(value)}`;
}

/**
 * A count with its thousands grouped by commas, as English writes it: 6272 → "6,272". The
 * same text as `toLocaleString("en")` for a whole number, without waking the browser's locale
 * data (20–80 ms the first time a page asks, here), which nothing else on the page needs.
 */
export function countText(count) {
  const sign = count < 0 ? "-" : "";
  return sign + String(Math.abs(Math.trunc(count))).replace(/\B(?=(\d{3})+$)/g, ",");
}

/** A shape as the page writes it under a matrix: "4 × 1". */
export function shapeText([rows, cols]) {
  return `${rows} × ${cols}`;
}

/**
 * The loss curve in words, for whoever does not see the plot: J at the first and the last
 * iteration and its lowest, with their iterations (numbered from 1), and how many iterations
 * had no finite J. `losses` is J per finished iteration, oldest first; "" for none.
 */
export function lossSentence(losses) {
  if (losses.length === 0) return "";
  const count = `${losses.length} iteration${losses.length === 1 ? "" : "s"}`;
  const at = (i) => `${formatValue(losses[i])} at iteration ${i + 1}`;
  const last = losses.length - 1;
  let lowest = -1;
  losses.forEach((value, i) => {
    if (Number.isFinite(value) && (lowest < 0 || value < losses[lowest])) lowest = i;
  });
  const parts = [last === 0 ? at(0) : `${at(0)}, ${at(last)}`];
  if (lowest >= 0 && lowest !== 0 && lowest !== last) parts.push(`lowest ${at(lowest)}`);
  const notFinite = losses.filter((value) => !Number.isFinite(value)).length;
  if (notFinite > 0) parts.push(`not a finite number at ${notFinite}`);
  return `Objective J over ${count}: ${parts.join("; ")}.`;
}
