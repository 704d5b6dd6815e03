-- How the portal looks inside the host product (name, logo, accent colour, theme), as JSON in
-- the API's shape (`displayName`, `logoUrl`, `accentColor`, `theme`): a company's own choice,
-- and a portal link's, which its session carries. NULL: nothing chosen at that level.
ALTER TABLE applications ADD COLUMN branding TEXT;
ALTER TABLE portal_links ADD COLUMN branding TEXT;
ALTER TABLE portal_sessions ADD COLUMN branding TEXT;
