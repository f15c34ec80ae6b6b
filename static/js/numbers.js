// Numbers written for people: short in a cell, long in a hover label, with a real minus sign.

const MINUS = "\u2212";

/** A cell's number, short: at most six characters, a real minus sign. */
export function formatShort(value) {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : `${MINUS}∞`;
  if (value === 0) return "0";
  const size = Math.abs(value);
  const candidates =
    size >= 1e4 || size < 1e-3
      ? [1, 0].map((digits) => value.toExponential(digits).replace("e+", "e").replace(".0e", "e"))
      : size >= 100
        ? [String(Math.round(value))]
        : [3, 2, 1].map((digits) => String(Number(value.toPrecision(digits))));
  const text = candidates.find((candidate) => candidate.length <= 6) ?? candidates.at(-1);
  return text.replaceAll("-", MINUS);
}

/** A number for the hover label, with six significant digits. */
export function formatLong(value) {
  if (!Number.isFinite(value)) return formatShort(value);
  return String(Number(value.toPrecision(6))).replaceAll("-", MINUS);
}
