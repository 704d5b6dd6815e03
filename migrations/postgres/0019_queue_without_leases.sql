-- An endpoint's queue holds its deliveries that no instance holds: waiting behind it, due, or
-- due later. A leased delivery (in flight) is not in it. Every delivery used to enter it at
-- ingest, move in it when claimed and leave it when recorded: three changes to a second B-tree
-- on the single SQLite writer for each delivery, most of the gap between the scheduler and
-- the build before it at ten endpoints (BENCHMARKS.md, session 15). Now a delivery that
-- succeeds at its first try enters it once and leaves it at its claim. The queries that read
-- it say `lease_owner IS NULL`; in-flight rows are found in `deliveries_due` by their lease's
-- end, which is never more than a lease ahead.
DROP INDEX deliveries_endpoint_queue;
CREATE INDEX deliveries_endpoint_queue ON deliveries(endpoint_id, next_attempt_at, id)
    WHERE status = 1 AND lease_owner IS NULL;
