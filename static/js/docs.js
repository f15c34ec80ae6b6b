// Starts Swagger UI (served by the app from the npm package swagger-ui-dist) on the app's own
// OpenAPI description: the API reference works offline and under the page's CSP.
//
// For keyboards and screen readers: no deep links (Swagger UI writes each operation's path as
// a link inside the button that opens it, a control within a control), a light highlighting
// theme whose colours keep 4.5:1, and, as Swagger UI draws them, a name for the menus it leaves
// unnamed (examples, a parameter's values) and a place in the tab order for the examples that
// scroll (a region the keyboard cannot scroll otherwise).

const root = document.getElementById("swagger-ui");

function mendControls() {
  for (const select of root.querySelectorAll("select.examples-select-element:not([aria-label])")) {
    select.setAttribute("aria-label", "Example");
  }
  for (const control of root.querySelectorAll(
    "tr[data-param-name] :is(select, input, textarea):not([aria-label])",
  )) {
    control.setAttribute("aria-label", control.closest("tr").dataset.paramName);
  }
  for (const example of root.querySelectorAll(".highlight-code > pre:not([tabindex])")) {
    example.tabIndex = 0;
    example.setAttribute("aria-label", "Example");
  }
}

new MutationObserver(mendControls).observe(root, { childList: true, subtree: true });

window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: false,
  tryItOutEnabled: false,
  syntaxHighlight: { activated: true, theme: "idea" },
});
