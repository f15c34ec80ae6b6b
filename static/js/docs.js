// Starts Swagger UI (served by the app from the npm package swagger-ui-dist) on the app's own
// OpenAPI description: the API reference works offline and under the page's CSP.

const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  deepLinking: true,
  tryItOutEnabled: false,
});
