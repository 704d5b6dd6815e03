-- The portal's language chosen by the host product for one portal link (`locale`, a BCP 47 tag
-- such as "fr"), which the link's session carries. NULL: the browser's language, then the
-- deployment's default.
ALTER TABLE portal_links ADD COLUMN locale TEXT;
ALTER TABLE portal_sessions ADD COLUMN locale TEXT;
