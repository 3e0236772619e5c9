"""The kernel every app uses: regions, organisations, users and roles, access, workflow, audit, crypto, fields, cache,
UI tags. It imports no app and not the project configuration (config/)."""
