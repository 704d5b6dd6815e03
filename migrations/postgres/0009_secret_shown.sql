-- When a deployment shows each secret only once, the portal records that it has shown it.
ALTER TABLE endpoint_secrets ADD COLUMN revealed_at BIGINT;
