"""Hamzaban. `flask --app app` calls ``create_app``; the factory itself is app/factory.py.

Importing this package does nothing else, so the lower layers (models, app.clock, …) can be
imported without loading the web layer.
"""
from __future__ import annotations


def create_app(test_config: dict | None = None):
    """Build the Flask app (see app.factory.create_app)."""
    from app.factory import create_app as build

    return build(test_config)
