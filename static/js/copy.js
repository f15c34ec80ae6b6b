// Copying a link from its field to the clipboard, saying whether it worked; where the browser
// refuses (no permission, not a secure context), the field is left selected for the reader.

/** Copies the text of `input`, saying so on `button` for a moment, then `label` again. */
export async function copyField(input, button, label = button.textContent) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => {
    button.textContent = label;
  }, 1500);
}

/** Copies the link in `field`, saying in `said` whether it did. */
export async function copyLink(field, said) {
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    said.textContent = "Copied.";
  } catch {
    said.textContent = "Select the link and copy it (Ctrl+C).";
  }
}
