-- Filters that match little must not read the whole log (issue 13's 10 million attempts: a rare
-- event type took 3.7 s on the messages API, 15.6 s on the attempts API and 8.4 s in the portal's
-- log; failed attempts of an endpoint that never failed, 5.6 s).
--
-- A company's messages of one type, newest first: the log's type filter reads them in order, and
-- a rare type's few messages are found without reading the others.
CREATE INDEX messages_app_type ON messages(app_id, event_type, id);
-- An endpoint's failed attempts only (about 2 % of them): `status=2` reads these, whether there
-- are many or none.
CREATE INDEX attempts_endpoint_failed ON attempts(endpoint_id, id) WHERE status = 2;
