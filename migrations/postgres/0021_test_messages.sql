-- A message a person sent from the portal to try an endpoint, with the example payload or their
-- own: the delivery log and the message page mark it "Test". 0 for every message the host sent.
ALTER TABLE messages ADD COLUMN test BIGINT NOT NULL DEFAULT 0;
