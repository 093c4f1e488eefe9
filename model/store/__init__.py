"""The local store: the SQLite engine and its migrations, the tables, the blob folder, settings
and where files live.
"""
