// Making and finding the page's elements: the two helpers every view and page script uses.

/** The element of id `id` in the page, or null. */
export const byId = (id) => document.getElementById(id);

/** A new `tag` element of class `className` (none if empty) holding `text` (none if left out). */
export function element(tag, className, text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null && text !== undefined) node.textContent = text;
  return node;
}
