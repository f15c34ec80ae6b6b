"""A matrix's table as a reader opens it: its entries, read in the page.

A figure's table is a closed <details> until opened (its cells are built then). `TABLE_OF` is the
source of an async JS function `tableOf(figure)` that opens the table of a figure.matrix as a
reader does, reads its caption, headers and cells (as text), and closes it again if it
was closed, so the page looks as before. Embed it in an evaluated function:
`"async () => { " + TABLE_OF + " ... await tableOf(f) ... }"`.
"""

from __future__ import annotations

TABLE_OF = """
async function tableOf(figure) {
  const details = figure.querySelector('.matrix-table details');
  const wasOpen = details.open;
  if (!wasOpen) {
    const opened = new Promise(
      resolve => details.addEventListener('toggle', resolve, { once: true }));
    details.open = true;
    await opened;  // the page's own listener, first, has built the table's page
  }
  const grid = figure.querySelector('.matrix-table-grid');
  const read = {
    caption: grid.querySelector('caption').textContent,
    colHeads: [...grid.querySelectorAll('thead th')].map(e => e.textContent),
    rowHeads: [...grid.querySelectorAll('tbody th')].map(e => e.textContent),
    cells: [...grid.querySelectorAll('tbody tr')]
      .map(tr => [...tr.querySelectorAll('td')].map(e => e.textContent)),
  };
  details.open = wasOpen;
  return read;
}
"""

ENTRIES = (
    "async (name) => { "
    + TABLE_OF
    + ' const f = document.querySelector(`.matrix[data-tensor="${name}"]`);'
    + " const { cells } = await tableOf(f);"
    + " return cells.map(row => row.map(t => Number(t.replaceAll('\u2212', '-')))); }"
)
"""`page.evaluate(ENTRIES, name)`: the entries (numbers) of the figure of tensor `name`."""


def each_shown_matrix(body: str) -> str:
    """The source of an async JS function that returns, for every matrix figure `f` of the
    groups shown, what `body` (an async function body that reads `f`, with `tableOf`) returns."""
    return (
        "async () => {"
        + TABLE_OF
        + """
  const figures = [...document.querySelectorAll('.matrix-group:not([hidden]) .matrix')];
  return Promise.all(figures.map(async f => {"""
        + body
        + """}));
}"""
    )
