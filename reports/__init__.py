"""Cross-app reading: the figures (dashboard, yearly report, exports, the figures API) and the public pages.

It reads the domain apps through their selectors and writes nothing of its own; no app and not the kernel import it,
only config/urls.py (docs/adr/0014-config-kernel-reports-layers.md)."""
