"""Commands of the ``factstream`` CLI kept apart from ``streams.cli``; each module has ``register(main)``."""
