"""The newest migration of the local store, in a module that imports nothing.

model.store.engine opens an up-to-date store without Alembic by comparing against it, and the TUI's
first-page read checks it before SQLAlchemy is even imported; a test pins it to the scripts.
"""

SCHEMA_HEAD = "0013"
