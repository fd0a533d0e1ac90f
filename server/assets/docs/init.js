// Starts Swagger UI on /docs. A file of its own, not an inline script, so the page runs under
// a Content-Security-Policy without 'unsafe-inline'.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // The default validator is an outside service; the page talks to this origin only.
    validatorUrl: null,
  });
});
