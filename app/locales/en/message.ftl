# One message: what was sent, where it goes, and every try.

message-title = Message
message-crumb = message
message-test-lead = A test event, sent from this portal to try the endpoint.
message-event-id = Event id
message-none-given = none given
message-received = Received
message-payload = Payload
message-payload-test-help = Exactly as it was sent.
message-payload-help = Exactly as your product sent it.
message-no-tries = No tries yet.

# A delivery's state in a sentence, under its badge (here and in the delivery log).
message-detail-delivered-first = delivered at the first try
message-detail-delivered = delivered at try { $try }
message-detail-sending = sending, try { $try } of { $of }
message-detail-queued = queued for its first try
message-detail-retrying = try { $failed } failed; try { $try } of { $of } is scheduled
message-detail-waiting-endpoint-disabled = waiting: the endpoint is disabled; it goes when the endpoint is enabled
message-detail-waiting-company-disabled = waiting: the company is disabled; it goes when the company is enabled
message-detail-waiting-retry-after = waiting: the endpoint asked to wait (Retry-After)
message-detail-waiting-failing = waiting: the endpoint is failing; it goes when a probe succeeds
message-detail-waiting-busy = waiting for a free send slot
message-detail-held = held by the plan's hourly limit
message-detail-skipped-because = skipped: { $reason }
message-detail-skipped = skipped
message-detail-failed = failed after { $tries } tries

# Why a delivery was skipped, after "skipped: ".
message-skip-filtered-out = its event type is not in the endpoint's filter
message-skip-channel-filtered-out = none of its channels is in the endpoint's filter
message-skip-filter-unreadable = the endpoint's event type filter could not be read
message-skip-channel-filter-unreadable = the endpoint's channel filter could not be read
message-skip-expunged = its content was expunged
message-skip-no-secret = the endpoint had no signing secret
message-skip-endpoint-disabled = the endpoint was disabled

# Refusals of an id or event id ($field: the field's label).
message-error-empty = { $field }: must not be empty
message-error-too-long = { $field }: must be at most { $max } characters
message-error-charset = { $field }: may contain only letters, digits, '-', '_' and '.'
