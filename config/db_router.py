"""The database router installed when DATABASE_REPLICA_URL is set: reads inside machinery.replica.replica_reads()
(dashboards, background exports) go to the replica; every write, and every other read, goes to the primary."""

from __future__ import annotations

from machinery.replica import replica_wanted

PRIMARY, REPLICA = "default", "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        return REPLICA if replica_wanted() else PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY  # always, even for an object that was read from the replica

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database reached two ways

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY
