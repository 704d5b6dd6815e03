-- The due index holds only deliveries with a time: those waiting behind their endpoint (no
-- time, DESIGN.md "Delivery when endpoints fail") are in `deliveries_endpoint_queue`, where
-- releases look for them. While the due index held them too, PostgreSQL could serve a release
-- ("an endpoint's oldest waiting deliveries") from it by reading every waiting row of every
-- endpoint, and did so on a young database without statistics: 10 ms and some 1,600 buffers per
-- release instead of 0.1 ms and 4 (BENCHMARKS.md). It also kept the due index larger than the
-- claims, which read only rows due by now, need.
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 1 AND next_attempt_at IS NOT NULL;
