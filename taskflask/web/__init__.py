"""The web layer: the app factory and what every request passes through (input, tenancy, errors, logs, headers)."""
