// Entries held fixed: the formal row [0 … 0 1] of Ŵᵢ (i < k) in the homogeneous view, a constant
// of the paper's §3, condition (b), not a weight. The step record lists them (`held_fixed`, by
// tensor, rows and columns from 1 as shown); here they are hatched over a heatmap and said in
// words under it. Kept apart from the heatmap itself, so that any renderer can call it.

/** "Row 5 is held fixed (hatched): a constant of §3(b), not a weight." for one tensor's entries. */
export function heldFixedText(entries) {
  const parts = [];
  if (entries.rows.length)
    parts.push(`${entries.rows.length > 1 ? "Rows" : "Row"} ${entries.rows.join(", ")}`);
  if (entries.cols.length)
    parts.push(`${entries.cols.length > 1 ? "columns" : "column"} ${entries.cols.join(", ")}`);
  const which = parts.join(" and ");
  const capital = which[0].toUpperCase() + which.slice(1);
  return `${capital} held fixed (hatched): the formal neuron of §3(b), a constant, not a weight.`;
}

/**
 * Lays a hatched band over the held-fixed rows and columns of the heatmap in `box` (a
 * `.matrix-frame` whose plot area is `plot` = {left, top, width, height} in pixels, of
 * `shape` = [rows, cols]); removes the bands when `entries` is null.
 */
export function drawHeldFixed(box, plot, shape, entries) {
  box.querySelector(":scope > .matrix-held")?.remove();
  if (!entries) return;
  const [rows, cols] = shape;
  const layer = document.createElement("div");
  layer.className = "matrix-held";
  layer.setAttribute("aria-hidden", "true");
  const band = (left, top, width, height) => {
    const div = document.createElement("div");
    div.className = "matrix-held-band";
    Object.assign(div.style, {
      left: `${left}px`,
      top: `${top}px`,
      width: `${width}px`,
      height: `${height}px`,
    });
    layer.append(div);
  };
  const rowHeight = plot.height / rows;
  const colWidth = plot.width / cols;
  for (const r of entries.rows)
    band(plot.left, plot.top + (r - 1) * rowHeight, plot.width, rowHeight);
  for (const c of entries.cols)
    band(plot.left + (c - 1) * colWidth, plot.top, colWidth, plot.height);
  box.append(layer);
}
