// The axes of the training plots, from the values they show: a diverged run (J or a norm at
// 1e284, Infinity or NaN) stays readable. Pure: no DOM, no Plotly, no maths of the network.

/** Most tick labels on a value axis. */
export const MAX_TICKS = 8;

/** `values` as a plotted line takes them: each entry not a finite number is a gap (null). */
export function finiteOrGap(values) {
  return values.map((value) => (Number.isFinite(value) ? value : null));
}

/** `values` for a log axis: each entry not a finite positive number is a gap (null). */
export function positiveOrGap(values) {
  return values.map((value) => (Number.isFinite(value) && value > 0 ? value : null));
}

/** How many entries of `values` are not finite numbers (left out of a plot). */
export function notFinite(values) {
  return values.filter((value) => !Number.isFinite(value)).length;
}

/**
 * Plotly's value axis for `values` (the gaps left out): logarithmic when `log` is true, or
 * when it is "auto" and the finite positive values span more than two decades, with a tick
 * every so many decades that there are at most MAX_TICKS; else linear, with at most
 * MAX_TICKS ticks.
 */
export function valueAxis(values, title, { log = "auto" } = {}) {
  const positive = values.filter((value) => Number.isFinite(value) && value > 0);
  const finite = values.filter((value) => Number.isFinite(value));
  const [low, high] = [Math.min(...positive), Math.max(...positive)];
  const useLog =
    log === true
      ? positive.length > 0
      : positive.length > 1 && positive.length === finite.length && high / low > 100;
  const common = { title: { text: title }, exponentformat: "power", gridcolor: "#ddd" };
  if (!useLog) return { ...common, type: "linear", nticks: MAX_TICKS };
  const decades = Math.floor(Math.log10(high)) - Math.floor(Math.log10(low)) + 1;
  return { ...common, type: "log", dtick: Math.max(1, Math.ceil(decades / MAX_TICKS)) };
}
