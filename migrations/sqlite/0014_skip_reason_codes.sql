-- Skip reasons become codes (SkipReason in app/src/ssr/delivery/state.rs), so the API and the
-- portal can say the same thing in their own words, and "send what was missed" can tell a skip
-- worth sending (filtered out, disabled) from one that is not (expunged). Older versions stored
-- sentences; a sentence this list does not know is kept as it was, and reads as "unknown".
UPDATE deliveries SET skip_reason = CASE skip_reason
    WHEN 'event type not in the endpoint''s filter' THEN 'filtered-out'
    WHEN 'channel not in the endpoint''s filter' THEN 'channel-filtered-out'
    WHEN 'the endpoint''s event filter cannot be read' THEN 'filter-unreadable'
    WHEN 'the endpoint''s channel filter cannot be read' THEN 'channel-filter-unreadable'
    WHEN 'message content was expunged' THEN 'expunged'
    WHEN 'endpoint has no usable signing secret' THEN 'no-secret'
    WHEN 'endpoint disabled' THEN 'endpoint-disabled'
    ELSE skip_reason END
WHERE status = 4;
