// Starts ReDoc on /api/redoc/ (templates/api/redoc.html); a file, not inline, for the CSP.
"use strict";
(function () {
  const root = document.getElementById("redoc-container");
  Redoc.init(
    root.dataset.schemaUrl,
    {
      // System fonts only: no web font is fetched from outside the intranet.
      theme: {
        typography: {
          fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif",
          headings: { fontFamily: "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif" },
          code: { fontFamily: "ui-monospace, Menlo, Consolas, monospace" },
        },
      },
      hideDownloadButton: false,
    },
    root,
  );
})();
