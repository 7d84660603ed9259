"""/api/v1: a small JSON API for integrations, on the same services and policy as the app."""
