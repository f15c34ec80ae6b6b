// The diverging colour scales a lecturer may pick: zero is always white and in the middle, so a
// sign reads at a glance. Only values are mapped to colours here; no maths.

/** Each scale: a label for the menu and Plotly colour stops from −r (0) through 0 (0.5) to r (1). */
export const SCALES = {
  rdbu: {
    label: "Red–blue",
    // ColorBrewer RdBu: blue negative, red positive.
    stops: [
      [0.0, "#053061"],
      [0.1, "#2166ac"],
      [0.2, "#4393c3"],
      [0.3, "#92c5de"],
      [0.4, "#d1e5f0"],
      [0.5, "#f7f7f7"],
      [0.6, "#fddbc7"],
      [0.7, "#f4a582"],
      [0.8, "#d6604d"],
      [0.9, "#b2182b"],
      [1.0, "#67001f"],
    ],
  },
  puor: {
    label: "Purple–orange (colour-blind safe)",
    // ColorBrewer PuOr, reversed: purple negative, orange positive; safe for red-green deficits.
    stops: [
      [0.0, "#2d004b"],
      [0.1, "#542788"],
      [0.2, "#8073ac"],
      [0.3, "#b2abd2"],
      [0.4, "#d8daeb"],
      [0.5, "#f7f7f7"],
      [0.6, "#fee0b6"],
      [0.7, "#fdb863"],
      [0.8, "#e08214"],
      [0.9, "#b35806"],
      [1.0, "#7f3b08"],
    ],
  },
  contrast: {
    label: "Blue–orange, high contrast (projector)",
    // Saturated early so that small values survive a washed-out projector; blue and orange
    // stay apart for every common colour-vision deficit. Zero is pure white.
    stops: [
      [0.0, "#001a4d"],
      [0.15, "#0047b3"],
      [0.3, "#2f7fe0"],
      [0.42, "#8ab8f5"],
      [0.5, "#ffffff"],
      [0.58, "#ffb366"],
      [0.7, "#f07800"],
      [0.85, "#b34700"],
      [1.0, "#4d1a00"],
    ],
  },
};

export const DEFAULT_SCALE = "rdbu";

/** The Plotly colour stops of scale `name` (the store's `scale`; an unknown one: the default). */
export function colourStops(name = DEFAULT_SCALE) {
  return (SCALES[name] ?? SCALES[DEFAULT_SCALE]).stops;
}

function rgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The colour of `t` in [0, 1] on scale `name`, as `rgb(r, g, b)` (0.5 is zero). */
export function colourAt(t, name = DEFAULT_SCALE) {
  const stops = colourStops(name);
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0.5));
  let i = 1;
  while (i < stops.length - 1 && stops[i][0] < x) i += 1;
  const [x0, c0] = stops[i - 1];
  const [x1, c1] = stops[i];
  const f = x1 === x0 ? 0 : (x - x0) / (x1 - x0);
  const [a, b] = [rgb(c0), rgb(c1)];
  const mix = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `rgb(${mix.join(", ")})`;
}
