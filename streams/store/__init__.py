"""The PostgreSQL store: migrations, the tracked-claims repository and its queries.

PostgreSQL is the source of truth. Agents call the store; processors never do.
"""

from factstream.store.migrate import applied_migrations, migrate, pending_migrations
from factstream.store.repository import ClaimStore

__all__ = ["ClaimStore", "applied_migrations", "migrate", "pending_migrations"]
