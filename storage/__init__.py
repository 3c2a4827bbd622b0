"""panelbot storage: SQLModel tables, repositories and Alembic migrations.

Entry points:

* :func:`storage.db.make_engine`, :func:`storage.db.session_scope`,
  :func:`storage.db.default_database_url`
* :class:`storage.repository.Store` — every read and write, tenant-scoped
* :mod:`storage.inputs` — validated input models the Store accepts
* :mod:`storage.errors` — domain errors with messages for people
* :mod:`storage.migrate` — ``upgrade``/``downgrade``/``current``/``autogenerate_check``
"""
