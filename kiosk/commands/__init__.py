"""Command modules for the `smartizen` CLI; each exposes ``register(group)``."""
