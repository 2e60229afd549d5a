"""The ``factstream`` command line: one module per area, all on the group of ``cli.main``.

``base`` holds what the commands share (the context, the ``option`` helper that names each
``FACTSTREAM_*`` variable, error handling); the console script and ``python -m factstream`` run
``main``. Nothing else in factstream imports this package.
"""

from factstream.cli.demo import sample_paths
from factstream.cli.main import COMMANDS_GROUP, main

__all__ = ["COMMANDS_GROUP", "main", "sample_paths"]
