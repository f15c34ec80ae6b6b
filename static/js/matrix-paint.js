// The pixels of a matrix: each entry's colour on a diverging scale centred on zero, painted into
// an RGBA buffer at the screen's own resolution. Pure: no DOM, tested with `node --test`.

import { mergeBlocks, pixelCells } from "./matrix-layout.js";

/** Levels of a colour lookup table: enough that neighbours look the same; odd, so zero is one. */
export const LEVELS = 513;
/** The colour of an entry that is not finite (and of the gaps between cells): a mid grey. */
export const GAP_RGB = [154, 154, 154];

function rgb(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The colours of scale `stops` ([[t, "#rrggbb"], …], t from 0 for −r to 1 for r, 0.5 for zero)
 * at LEVELS evenly spaced t, as RGB triples in one Uint8Array.
 */
export function colourTable(stops) {
  const table = new Uint8Array(LEVELS * 3);
  const colours = stops.map(([at, hex]) => [at, rgb(hex)]);
  let i = 1;
  for (let level = 0; level < LEVELS; level += 1) {
    const t = level / (LEVELS - 1);
    while (i < colours.length - 1 && colours[i][0] < t) i += 1;
    const [t0, c0] = colours[i - 1];
    const [t1, c1] = colours[i];
    const f = t1 === t0 ? 0 : Math.min(1, Math.max(0, (t - t0) / (t1 - t0)));
    for (let k = 0; k < 3; k += 1) table[level * 3 + k] = Math.round(c0[k] + (c1[k] - c0[k]) * f);
  }
  return table;
}

/** The level of `value` coloured in [−range, range]: LEVELS / 2 about zero, clamped at the ends. */
export function levelOf(value, range) {
  const t = 0.5 + value / (2 * range);
  return Math.min(LEVELS - 1, Math.max(0, Math.round(t * (LEVELS - 1))));
}

/** The RGB of `value` in [−range, range] from a colour table; grey when it is not finite. */
export function colourOf(table, value, range) {
  if (!Number.isFinite(value)) return GAP_RGB;
  const level = levelOf(value, range) * 3;
  return [table[level], table[level + 1], table[level + 2]];
}

const linear = (channel) => {
  const c = channel / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** WCAG's relative luminance of an RGB colour. */
export function luminance([r, g, b]) {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Black or white, whichever contrasts more with a cell of colour `rgbColour`. */
export function inkFor(rgbColour) {
  const light = luminance(rgbColour);
  return (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) ? "#000000" : "#ffffff";
}

/** The darker grey of the hatching that marks an entry that is not finite. */
export const HATCH_RGB = [60, 60, 60];

/**
 * Paints `values` (row-major, rows × cols of `plan`) coloured in [−range, range] into `pixels`
 * (RGBA, `width` × `height` device pixels, `ratio` device pixels to a CSS pixel): each cell its
 * colour, merged blocks their average, 1 CSS pixel of grey between cells when `plan.gaps`, and
 * non-finite entries grey hatched with dark diagonal lines (marked, not by colour alone).
 * A pixel row that shows the same cells as the row above, none of them hatched, is a copy of it.
 */
export function paintCells({ pixels, width, height, ratio, values, plan, range, table }) {
  const merged = mergeBlocks(values, plan);
  const gap = plan.gaps ? Math.max(1, Math.round(ratio)) : 0;
  const columns = pixelCells(width, plan.cols, width / plan.cols, plan.blockCols, gap);
  const lines = pixelCells(height, plan.rows, height / plan.rows, plan.blockRows, gap);
  const colours = new Uint8Array(merged.length * 3);
  const missing = new Uint8Array(merged.length);
  const hatched = new Uint8Array(plan.drawnRows); // 1 for a row of cells holding a hatched one
  for (let i = 0; i < merged.length; i += 1) {
    colours.set(colourOf(table, merged[i], range), i * 3);
    missing[i] = Number.isFinite(merged[i]) ? 0 : 1;
    hatched[Math.floor(i / plan.drawnCols)] |= missing[i];
  }
  const stripe = Math.max(4, Math.round(4 * ratio));
  const ink = Math.max(1, Math.round(ratio));
  const rowBytes = width * 4;
  for (let y = 0; y < height; y += 1) {
    const row = lines[y];
    if (y > 0 && row === lines[y - 1] && (row < 0 || hatched[row] === 0)) {
      pixels.copyWithin(y * rowBytes, (y - 1) * rowBytes, y * rowBytes);
      continue;
    }
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 4;
      const col = columns[x];
      const cell = row < 0 || col < 0 ? -1 : row * plan.drawnCols + col;
      let colour = GAP_RGB;
      if (cell >= 0 && missing[cell] === 0) {
        const source = cell * 3;
        pixels[at] = colours[source];
        pixels[at + 1] = colours[source + 1];
        pixels[at + 2] = colours[source + 2];
        pixels[at + 3] = 255;
        continue;
      }
      if (cell >= 0 && (x + y) % stripe < ink) colour = HATCH_RGB;
      pixels[at] = colour[0];
      pixels[at + 1] = colour[1];
      pixels[at + 2] = colour[2];
      pixels[at + 3] = 255;
    }
  }
}
