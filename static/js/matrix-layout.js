// Where a matrix's cells, numbers and indices go: pure arithmetic on sizes and entries, no DOM,
// so that every rule of the drawing (numbers only where they fit, cells under a few pixels
// merged, indices every few rows) is tested with `node --test`.

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

/** Cells narrower or shorter than this many CSS pixels are merged into blocks this big or more. */
export const MIN_DRAWN_CELL = 3;
/** Cells at least this big (both ways) are drawn with a 1 px gap between them. */
export const MIN_GAPPED_CELL = 6;
/** The smallest number written in a cell, in CSS pixels: below it a cell shows its colour only. */
export const MIN_NUMBER_FONT = 12;
/** The tallest a number is written, as a share of its cell's height. */
export const NUMBER_HEIGHT = 0.6;
/** Room left on each side of a number inside its cell, in CSS pixels. */
export const NUMBER_PADDING = 3;

const indices = (count) => Array.from({ length: count }, (_, i) => i + 1);

/**
 * The indices labelled along an axis of `count` cells drawn over `pixels`: every one up to 16,
 * else multiples of a step of 1, 2 or 5 × 10ⁿ, about one per 80 px across (`across`) or one
 * per 40 px down.
 */
export function tickIndices(count, pixels, across) {
  if (count <= 16) return indices(count);
  const ticks = clamp(pixels / (across ? 80 : 40), 4, 9) + 1;
  const rough = count / ticks;
  const base = 10 ** Math.floor(Math.log10(rough));
  const step = base * [2, 5, 10].find((m) => m >= rough / base - 1e-9);
  return indices(Math.floor(count / step)).map((i) => i * step);
}

/**
 * How many entries along one axis go into one drawn cell: 1 when a cell of `cell` CSS pixels is
 * at least MIN_DRAWN_CELL, else the fewest that make a block that big.
 */
export function blockSize(cell) {
  return cell >= MIN_DRAWN_CELL ? 1 : Math.ceil(MIN_DRAWN_CELL / cell - 1e-9);
}

/**
 * The drawing of a `rows` × `cols` matrix with cells of `cellWidth` × `cellHeight` CSS pixels:
 * its size in CSS pixels (exact: cells stay square, the canvas rounds its device pixels), the blocks of entries merged into one drawn cell (1 × 1 when none
 * are), the drawn grid, and whether thin gaps separate the cells.
 */
export function drawPlan({ rows, cols, cellWidth, cellHeight }) {
  const blockRows = blockSize(cellHeight);
  const blockCols = blockSize(cellWidth);
  return {
    rows,
    cols,
    cellWidth,
    cellHeight,
    width: cols * cellWidth,
    height: rows * cellHeight,
    blockRows,
    blockCols,
    drawnRows: Math.ceil(rows / blockRows),
    drawnCols: Math.ceil(cols / blockCols),
    merged: blockRows > 1 || blockCols > 1,
    gaps: Math.min(cellWidth, cellHeight) >= MIN_GAPPED_CELL,
  };
}

/** The caption's words for a merged drawing, e.g. "each drawn cell averages 2 × 4 entries". */
export function mergeNote(plan) {
  if (!plan.merged) return "";
  return `each drawn cell averages ${plan.blockRows} × ${plan.blockCols} entries (hover or the table for each entry)`;
}

/**
 * The entries of a `rows` × `cols` matrix (row-major `values`) averaged over the blocks of
 * `plan`: a Float64Array of drawnRows × drawnCols. A block holding an entry that is not finite
 * is NaN, so that a diverged entry stays visible as a gap however small it is drawn.
 */
export function mergeBlocks(values, plan) {
  const { rows, cols, blockRows, blockCols, drawnRows, drawnCols } = plan;
  if (blockRows === 1 && blockCols === 1) return values;
  const sums = new Float64Array(drawnRows * drawnCols);
  const counts = new Uint32Array(drawnRows * drawnCols);
  for (let r = 0; r < rows; r += 1) {
    const base = Math.floor(r / blockRows) * drawnCols;
    for (let c = 0; c < cols; c += 1) {
      const at = base + Math.floor(c / blockCols);
      sums[at] += values[r * cols + c];
      counts[at] += 1;
    }
  }
  for (let i = 0; i < sums.length; i += 1) sums[i] /= counts[i];
  return sums;
}

/**
 * The font size (CSS pixels) the numbers of a matrix are written in, the same for all its cells,
 * or 0 when they are not written: the largest up to `maxFont` (and NUMBER_HEIGHT of the cell's
 * height) at which the widest, `widest(font)` pixels, leaves NUMBER_PADDING on each side;
 * 0 when that is under `minFont` or the cells are merged. Never a number wider than its cell.
 */
export function numberFont({ plan, widest, maxFont, minFont = MIN_NUMBER_FONT }) {
  if (plan.merged) return 0;
  const room = plan.cellWidth - 2 * NUMBER_PADDING;
  if (room <= 0) return 0;
  const perPixel = widest(100) / 100;
  let font = Math.min(
    maxFont,
    plan.cellHeight * NUMBER_HEIGHT,
    perPixel > 0 ? room / perPixel : maxFont,
  );
  font = Math.floor(font * 2) / 2;
  // Text widths are not exactly proportional to the font size: shrink until it fits.
  while (font >= minFont && widest(font) > room) font -= 0.5;
  return font >= minFont ? font : 0;
}

/**
 * Where the pixel rows (or columns) of a drawing fall: for each of `pixels` device pixels along
 * an axis of `count` entries drawn `cell` device pixels each, the drawn cell it shows (entry
 * index ÷ block), or −1 on a gap pixel (the last device pixel of each cell when `gap`).
 */
export function pixelCells(pixels, count, cell, block, gap) {
  const map = new Int32Array(pixels);
  for (let p = 0; p < pixels; p += 1) {
    const entry = Math.min(count - 1, Math.floor((p + 0.5) / cell));
    const nextEdge = Math.round((entry + 1) * cell);
    map[p] = gap > 0 && p >= nextEdge - gap ? -1 : Math.floor(entry / block);
  }
  return map;
}

/** The entry (1-based row and column) under a point `x`, `y` CSS pixels into a drawing. */
export function entryAt(plan, x, y) {
  const col = clamp(Math.floor(x / plan.cellWidth), 0, plan.cols - 1);
  const row = clamp(Math.floor(y / plan.cellHeight), 0, plan.rows - 1);
  return { row: row + 1, col: col + 1 };
}

/** The narrowest a column with numbers written in it is drawn, in px of 18 px page type. */
const NUMBERED_COLUMN = 44;

/**
 * The cells of a matrix in panels (the page's normal layout), in CSS pixels, at `scale` of the
 * 18 px page type: tall enough to read a number in, up to 12 rows; at most 320 px for all rows
 * beyond 106 (256 rows share them, merged when drawn); wide enough for the widest number
 * (`widest(font)`) where that fits `room`; else narrower, colours only, down to 22 px up to 16
 * columns (an index written across) and to half a pixel beyond (merged when drawn).
 */
export function panelCells({ rows, cols, room, scale = 1, widest }) {
  const s = (pixels) => pixels * scale;
  // Up to 12 rows tall enough for a number; beyond, down to 3 px a row, and for more rows
  // than fit 320 px at that, the rows share those 320 px (merged when drawn).
  const tall = rows <= 12 ? clamp(Math.floor(220 / rows), 26, 40) : clamp(220 / rows, 3, 24);
  const height = rows > 12 && rows * tall > 320 ? 320 / rows : tall;
  const cellHeight = s(height);
  // Where not even the narrowest column with numbers fits, none are measured.
  if (rows <= 12 && cols * s(NUMBERED_COLUMN) <= room) {
    const font = clamp(Math.floor(cellHeight * 0.45), 12, s(16));
    const labelled = Math.max(s(NUMBERED_COLUMN), Math.ceil(widest(font) + 2 * NUMBER_PADDING + 2));
    if (cols * labelled <= room) {
      return { cellWidth: Math.max(labelled, Math.min(s(64), Math.floor(320 / cols))), cellHeight };
    }
  }
  const narrowest = cols <= 16 ? s(22) : 0.5;
  const wanted = s(clamp(320 / cols, cols <= 16 ? 22 : 3, 24));
  const fits = room / cols;
  return { cellWidth: Math.max(Math.min(wanted, fits), Math.min(narrowest, wanted)), cellHeight };
}
