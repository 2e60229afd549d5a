"""Commands of the ``factstream`` CLI that live apart from ``streams.cli``; each module has ``register(main)``."""
