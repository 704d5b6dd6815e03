# The delivery log, its filters and pages, and one delivery attempt.

log-lead = Every event sent to each of this company's endpoints, in its state: delivered, on its way, waiting, skipped (and why), or failed.
log-find-aria = Find a message
log-find-field = Message id or event id
log-find-placeholder = msg_… or your event id
log-find = Find
log-held = Held by plan limit
log-held-help = These events reached this hour's limit of the company's plan. They are not lost: each is sent, in order, as the next hour allows, or at once if the plan changes.

# The filter form.
log-filters = Filters
log-filter-all = All
log-filter-from = From
log-filter-to = To
log-field-since = Since
log-zone-local = (your local time)
log-zone-utc = (UTC)
log-filter = Filter

# A delivery's state, on its badge and in the state filter.
log-state-delivered = Delivered
log-state-in-progress = In progress
log-state-sending = Sending
log-state-queued = Queued
log-state-retrying = Retrying
log-state-waiting = Waiting
log-state-held = Held
log-state-skipped = Skipped
log-state-failed = Failed

# The table of deliveries.
log-deliveries = Deliveries
log-empty-heading = No deliveries
log-empty-filtered = Nothing matches these filters on this page of the log.
log-empty = Events appear here as soon as they are sent; send a test event from an endpoint's page.
log-test = Test
log-test-title = Sent from this portal to try the endpoint
log-tries-of = { $tries } of { $max }
log-no-response = no response
log-enable-endpoint = Enable the endpoint
log-send-now = Send now
log-send-again = Send again
log-queued = Queued: it goes out now. Reload to follow it.
log-pages = Pages
log-newest = Newest
log-newer = Newer
log-older = Older

# One delivery attempt.
log-attempt-title = Delivery attempt
log-crumb-attempt = attempt
log-attempt-heading = Attempt
log-fact-message = Message
log-fact-result = Result
log-result-succeeded = Succeeded
log-result-failed = Failed
log-result-no-response = No response
log-fact-duration = Duration
log-duration-ms = { $ms } ms
log-fact-trigger = Trigger
log-trigger-manual = Manual
log-trigger-scheduled = Scheduled
log-fact-error = Error
log-request = Request
log-response = Response
log-response-status = Status:
log-headers = Headers
log-body = Body
log-copy-request-headers = Copy the request headers
log-copy-request-body = Copy the request body
log-copy-response-body = Copy the response body
log-response-truncated = The response was longer: only its first 64 KiB are kept.
log-body-exact = Exactly the { $bytes } bytes sent.
log-body-expunged = The message's content was deleted (expunged), and with it the body sent.
log-body-not-recorded = Not recorded: this try sent nothing, or it was made before Herald kept the exact body sent. The payload as received is shown; the body sent may have wrapped it in an envelope.
log-expunged = (expunged)
log-verify-summary = How to check this signature
log-verify-help = Compute it over the body exactly as above, as bytes: copy it rather than retype or re-format it (parsing and printing JSON again changes key order and numbers such as 10.50). The timestamp and id are in the headers. A secret rotated since this try gives a different signature.

# Refusals of the log's filters (and of the "since" of sending what an endpoint missed).
log-error-date-time = { $field }: enter a date and time.
log-error-time-zone = Time zone: not a UTC offset.
log-error-state = State: choose one of the options.
log-error-page = Page: not a place in this log.
log-error-to-before-from = To: must be after From.
