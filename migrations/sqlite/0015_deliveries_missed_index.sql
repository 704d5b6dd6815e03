-- "Send what this endpoint missed" (and Svix's recover) read an endpoint's failed and skipped
-- deliveries in a time window. Without this index they walked every delivery of the endpoint
-- in that window, delivered ones included (the bulk), to find the few that were not. Failed and
-- skipped rows are rare and settle there for good, so the index costs the hot path nothing but
-- those rows' entries; queries spell `status IN (2, 4)` literally so both planners use it.
CREATE INDEX deliveries_endpoint_missed ON deliveries(endpoint_id, msg_id) WHERE status IN (2, 4);
