"""Cross-app figures: the dashboard, reports, exports, the figures API and the public pages all read here.

Every number comes from an app's own selector (deputies, proposals, votes, stations); this package only
composes them per region and period, compares periods and caches the result."""
