"""The HTTP API and the web page: tracked claims for engineers (JSON) and editors (browser).

``create_api(settings)`` builds the FastAPI app; ``commands.register`` adds the query and
``serve`` commands to the ``factstream`` CLI.
"""

from factstream.api.app import create_api

__all__ = ["create_api"]
