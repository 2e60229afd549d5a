"""Training commands of the project's learned components (they need the ``train`` extra)."""
