"""The API documentation pages (/api/docs/, /api/redoc/): own templates that load the vendored Swagger UI and ReDoc
(drf-spectacular-sidecar) and start them from static/js/, so the pages render under the Content-Security-Policy
and no request leaves the intranet (no CDN, no web font)."""

from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

swagger_ui = SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")

# ReDoc styles itself through styled-components, which writes generated <style> elements at run time: no hash can
# name them and the bundle offers no nonce hook, so this one page allows inline *styles* (never inline scripts),
# and its search index runs in a Web Worker it builds from a blob: URL. The bundle is the patched copy in
# static/vendor/redoc/ (its logo came from a CDN).
redoc = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
    SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
)
