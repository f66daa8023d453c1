"""The version of every write to the search index: syncs of one object that run at once on two
workers land in the order of their reads, never in the order of their writes.

A version is a time in microseconds since the epoch, taken from the database's clock just BEFORE a
sync reads its objects:
- PostgreSQL: `clock_timestamp()` of the primary, the one clock every worker shares;
- SQLite (one file, on one machine): the machine's time, through one row (VersionClock) updated in
  the same statement, so that each version is later than every version taken before it even if the
  clock steps back (then it is the last one plus one).
Every write carries its version: an index or a delete is refused when the index already holds a
write of a higher version (Elasticsearch: external versions, `version_type=external_gte`; database
backends: a `version` column on each document row and a tombstone row for each removed document).

Why the time of the read rather than a counter bumped with each change of an object: every commit
that changes an object queues a sync that starts after the commit, so that sync's version is later
than the commit; and a write's version is never later than its own read. So the write of the highest
version read the object after its last commit: it is what the object is now, and it is the one that
stays. That needs no column on the apps' models and no write in their transactions, and it also
orders the syncs of documents that change with the clock alone (`rebuild_search_index
--time-dependent`). Equal versions are accepted (the later write stays): at a microsecond's
resolution both reads started after every commit that preceded either (a commit, its task and that
task's read take far longer than a microsecond).

On PostgreSQL the rule holds as long as the server's clock does not step back by more than the time
between a commit and the read of its sync (NTP slews a running server's clock, it does not step it).
"""

import time

from django.db import connections

# How long a deleted document's version is kept (database tombstones; Elasticsearch's
# index.gc_deletes): far longer than any delay between a sync's read and its write.
TOMBSTONE_SECONDS = 3600


def now(using="default") -> int:
    """The version of a write whose read starts now: microseconds since the epoch, database clock."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint")
        else:
            cursor.execute("INSERT INTO search_versionclock (id, value) VALUES (1, %s) ON CONFLICT (id) "
                           "DO UPDATE SET value = max(search_versionclock.value + 1, excluded.value) RETURNING value",
                           [time.time_ns() // 1000])
        return int(cursor.fetchone()[0])
