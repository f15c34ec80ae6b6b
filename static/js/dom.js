// Making and finding the page's elements: the helpers every view and page script uses.

/** The element of id `id` in the page, or null. */
export const byId = (id) => document.getElementById(id);

/** A new `tag` element of class `className` (none if empty) holding `text` (none if left out). */
export function element(tag, className, text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null && text !== undefined) node.textContent = text;
  return node;
}

/** `node`, hidden from screen readers (they read its words elsewhere): `node` again. */
export function unread(node) {
  node.setAttribute("aria-hidden", "true");
  return node;
}
