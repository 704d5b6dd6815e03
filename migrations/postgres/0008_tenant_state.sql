-- An operator can disable a tenant: its messages are refused (403) until it is enabled again.
-- Deliveries already accepted are not dropped.
ALTER TABLE applications ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
