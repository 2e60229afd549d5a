"""The HTTP API and the web page: tracked claims for engineers (JSON) and editors (browser).

``create_api(settings)`` builds the FastAPI app; one module per area adds its routes (``meta``,
``claims``, ``contradictions``, ``speakers``, ``stories``, ``reviews``, ``articles``) with the
shared ``params``, ``models`` and ``middleware``. The CLI's `serve` runs it.
"""

from factstream.api.app import create_api

__all__ = ["create_api"]
