// Starts Swagger UI on /api/docs/ (templates/api/swagger_ui.html); a file, not inline, for the CSP.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  const csrfHeader = root.dataset.csrfHeader;
  const csrfToken = root.dataset.csrfToken;
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    displayOperationId: true,
    // The portal's session cookie authenticates "Try it out"; unsafe methods need the CSRF token too.
    requestInterceptor: (request) => {
      if (!["GET", undefined].includes(request.method) && csrfHeader && csrfToken) {
        request.headers[csrfHeader] = csrfToken;
      }
      return request;
    },
  });
})();
