// Copying a link from its field to the clipboard, saying whether it worked; where the browser
// refuses (no permission, not a secure context), the field is left selected for the reader.

/** Copies the text of `field`: true when it did, false when only the selection is left. */
async function copied(field) {
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch {
    return false;
  }
}

/** Copies the text of `input`, saying so on `button` for a moment, then `label` again. */
export async function copyField(input, button, label = button.textContent) {
  button.textContent = (await copied(input)) ? "Copied" : "Select and copy";
  setTimeout(() => {
    button.textContent = label;
  }, 1500);
}

/** Copies the link in `field`, saying in `said` whether it did. */
export async function copyLink(field, said) {
  said.textContent = (await copied(field)) ? "Copied." : "Select the link and copy it (Ctrl+C).";
}
