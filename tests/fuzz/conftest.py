"""The security tests' world (one object of each kind, one login per role) for the whole-schema fuzzing."""

from tests.security.conftest import world  # noqa: F401 - fixture reused
