"""Models of the proposals app."""
