"""Operator commands that plug into the `factstream` group: each module has a ``register(main)``."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add every operator command of this package to the ``factstream`` group."""
    from streams.commands import deadletters

    deadletters.register(main)
