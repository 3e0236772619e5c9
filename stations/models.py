"""Models of the stations app."""
