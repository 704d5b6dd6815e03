-- Delivery when endpoints fail (DESIGN.md). A pending delivery with no next_attempt_at is
-- waiting behind its endpoint: the endpoint is at its in-flight cap, paused (circuit open, or a
-- Retry-After), disabled, or its company is disabled. Waiting is not an attempt. Waiting rows are
-- released, oldest first, as the endpoint frees up, so a backlog never sits in the due index
-- that every claim scans.
CREATE INDEX deliveries_endpoint_queue ON deliveries(endpoint_id, next_attempt_at, id) WHERE status = 1;

-- While set, the endpoint is paused: nothing is sent to it before then. At that time one probe
-- goes (and holds the pause for the length of its lease); its success resumes the endpoint.
ALTER TABLE endpoints ADD COLUMN paused_until BIGINT;
-- Why it is paused: 'failing' (consecutive failures) or 'retry-after' (the receiver asked).
ALTER TABLE endpoints ADD COLUMN paused_reason TEXT;
CREATE INDEX endpoints_paused ON endpoints(paused_until) WHERE paused_until IS NOT NULL;
