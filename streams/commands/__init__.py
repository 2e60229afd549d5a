"""Commands of the ``factstream`` CLI kept apart from ``factstream.cli``; each has ``register(main)``."""
