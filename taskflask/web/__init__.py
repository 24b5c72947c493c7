"""The web layer: app factory, errors as HTTP, security headers, JSON, SPA, OpenAPI, tenancy."""
