# One endpoint: its page, the form that adds or changes it, its signing secret, test events,
# resending what it missed, and its health. Also the form errors the services raise about its
# fields.

endpoint-crumb = endpoint
endpoint-add-title = Add endpoint
endpoint-edit-title = Edit endpoint
endpoint-create = Create endpoint
endpoint-save = Save changes
endpoint-cancel = Cancel

## The form's fields

endpoint-url = Endpoint URL
endpoint-url-help = An HTTPS URL on your server. Events are POSTed to it as JSON, signed.
endpoint-rate-limit = Rate limit
endpoint-rate-limit-placeholder = No limit
endpoint-rate-limit-help = The most deliveries a second this endpoint is sent; more wait their turn. Leave it empty for no limit.
endpoint-events = Events
endpoint-all-events-later = All events, including ones added later
endpoint-no-event-types = No event types are defined yet: the endpoint gets all events.

endpoint-custom-headers = Custom headers
endpoint-headers-help = Sent with every delivery to this endpoint, such as a token your server expects. The value of a header whose name suggests a credential is never shown again: leave it empty to keep it.
endpoint-header-name = Header name
endpoint-header-value = Value
endpoint-header-unchanged = Unchanged (hidden)
endpoint-header-remove = Remove
endpoint-header-remove-unnamed = Remove this header
endpoint-header-remove-named = Remove { $name }
endpoint-header-add = Add a header

## The endpoint's page

endpoint-settings = Settings
endpoint-copy-url = Copy the endpoint URL
endpoint-id = Endpoint ID
endpoint-copy-id = Copy the endpoint ID
endpoint-all-events = All events
endpoint-rate-per-second = { $rate } a second
endpoint-rate-limit-none = None
endpoint-headers-none = None
endpoint-header-hidden = hidden
endpoint-created = Created
endpoint-edit = Edit
endpoint-enable = Enable
endpoint-disable = Disable
endpoint-delete = Delete
endpoint-delete-question = Delete this endpoint?
endpoint-delete-explained = It stops receiving events at once. Its delivery log goes with it.
endpoint-delete-confirm = Delete endpoint
endpoint-refresh = Refresh
endpoint-loading-deliveries = Loading deliveries…

## The signing secret

endpoint-secret = Signing secret
endpoint-secret-lead = Check every request with it, so you know it came from us.
endpoint-secret-write-only = Only people with write access can see the secret.
endpoint-secret-rotated = The secret was rotated.
endpoint-copy-secret = Copy the signing secret
endpoint-secret-copy-now = Copy it now: it will not be shown again.
endpoint-secret-shown-once = The secret is shown once, when it is made. Rotate it to get a new one.
endpoint-secret-hide = Hide secret
endpoint-secret-reveal = Reveal secret
endpoint-rotate-secret = Rotate secret
endpoint-rotate-question = Rotate the signing secret?
endpoint-rotate-immediate = A new secret signs every request from now on, and the old one stops working at once.
endpoint-rotate-with-grace = A new secret signs every request from now on. During the grace period the old one signs them too, so you can update your server without failing checks.
endpoint-grace-period = Grace period
endpoint-grace-none = None: the old secret stops now
endpoint-grace-1h = 1 hour
endpoint-grace-24h = 24 hours
endpoint-rotate-confirm = Confirm rotation
endpoint-verify = How to verify a delivery
endpoint-copy-code = Copy the { $language } code

## Test events

endpoint-test-title = Send a test event
endpoint-test-no-types = There are no event types to send yet.
endpoint-test-payload = Payload
endpoint-test-payload-help = The event type's example: change it to try your endpoint with other values. It goes to this endpoint only, marked as a test.
endpoint-test-send = Send test event
endpoint-test-sent = Test event sent:
endpoint-copy-message-id = Copy the message ID

## Sending what it missed

endpoint-missed-title = Send what it missed
endpoint-missed-help = Sends this endpoint every event since the time you choose that it did not get: deliveries that failed, and those skipped that it would take today (while it was disabled, or by a filter that now lets them through). Nothing it already received is sent again.
endpoint-missed-since = Since
endpoint-missed-local-time = (your local time)
endpoint-missed-utc = (UTC)
endpoint-missed-count = Count what it missed
endpoint-missed-counting = Counting…
endpoint-missed-waiting = { $count ->
        [one] { $count } delivery already waits behind this endpoint: it goes out without this.
       *[other] { $count } deliveries already wait behind this endpoint: they go out without this.
    }
endpoint-missed-waiting-more = { $count ->
        [one] { $count }+ delivery already waits behind this endpoint: it goes out without this.
       *[other] { $count }+ deliveries already wait behind this endpoint: they go out without this.
    }
endpoint-missed-disabled = This endpoint is disabled. Enable it first: what waits for it goes out then. Then send what it still missed.
endpoint-missed-nothing = Nothing to send: since then, every delivery to this endpoint was delivered, is on its way, or was skipped for a reason that still holds.
endpoint-missed-summary = { $count ->
        [one] This will send { $count } delivery ({ $failed } failed, { $skipped } skipped).
       *[other] This will send { $count } deliveries ({ $failed } failed, { $skipped } skipped).
    }
endpoint-missed-summary-at-least = { $count ->
        [one] This will send at least { $count } delivery ({ $failed } failed, { $skipped } skipped).
       *[other] This will send at least { $count } deliveries ({ $failed } failed, { $skipped } skipped).
    }
endpoint-missed-send-all = Send them all
endpoint-missed-send = { $count ->
        [one] Send { $count } delivery
       *[other] Send { $count } deliveries
    }
endpoint-missed-queued = { $count ->
        [one] { $count } delivery queued: it goes out as the endpoint takes them.
       *[other] { $count } deliveries queued: they go out as the endpoint takes them.
    }

## Health

endpoint-health = Health
endpoint-health-24h = 24 hours
endpoint-health-7d = 7 days
endpoint-health-success-rate = Success rate
endpoint-health-delivered = Delivered
endpoint-health-delivered-count = { $count } ({ $first } on the first try)
endpoint-health-failed = Failed after every retry
endpoint-health-tries = Tries (failed)
endpoint-health-response-time = Response time
endpoint-health-no-tries = no tries
endpoint-health-help = Success rate counts deliveries, not tries: an event that arrived after a retry is a success.
endpoint-health-last-success = Last success:
endpoint-health-no-success = none in the last 7 days
# A response time, as the upper bound of its bucket.
endpoint-latency-ms = ≤ { $ms } ms
endpoint-latency-s = ≤ { $seconds } s
endpoint-latency-over = > { $seconds } s

## What the server refuses

endpoint-plan-limit = The { $plan } plan allows { $max ->
        [one] { $max } endpoint
       *[other] { $max } endpoints
    }, and this application has { $used }: remove one or move to a larger plan
endpoint-error-rate-limit = Enter a whole number of deliveries a second, from 1 to 65535, or leave it empty for no limit.
endpoint-error-header-no-name = A custom header has a value but no name: name it, or clear its value.
endpoint-error-header-twice = Custom header { $name } is there twice: keep one.
endpoint-error-header-no-value = Custom header { $name } needs a value.
# $reason is the JSON parser's own words, or endpoint-error-payload-eof.
endpoint-error-payload-json = The payload is not valid JSON: { $reason } (line { $line }, column { $column }).
endpoint-error-payload-eof = it ends too soon
endpoint-error-payload-object = The payload must be a JSON object, between {"{"} and {"}"}.
endpoint-error-no-events = Choose at least one event, a whole category, or all events.
endpoint-error-secret-shown = This secret was shown once, when it was made. Rotate it to get a new one.
endpoint-error-grace = Grace period: choose one of the options.
endpoint-error-test-disabled = This endpoint is disabled: enable it before sending a test event.
endpoint-error-test-event-type = Event type: choose one from the list.

## The services' validation messages about a field, as sentences

endpoint-invalid-the-url = The URL
endpoint-invalid-the-description = The description
endpoint-invalid-the-rate-limit = The rate limit
endpoint-invalid-the-events = The events
endpoint-invalid-the-headers = The custom headers
endpoint-invalid-the-payload = The payload
endpoint-invalid-url-empty = Enter the address of your endpoint.
endpoint-invalid-url-example = Enter a full address, such as https://example.com/webhooks.
endpoint-invalid-url-https = Use an address that starts with https://.
endpoint-invalid-url-credentials = The URL must not contain a user name or password; use endpoint headers for credentials.
endpoint-invalid-too-long = { $field } must be at most { $max } characters.
endpoint-invalid-too-large = { $field } must be at most { $max } bytes.
# $problem is the service's own words, for a rule this file does not name.
endpoint-invalid-must = { $field } { $problem }.
endpoint-invalid-other = { $problem }.
endpoint-invalid-header-reserved = Custom header { $name } is set by Herald and cannot be overridden.
endpoint-invalid-header-name = Custom header { $name } is not a valid header name.
endpoint-invalid-header-other = Custom header { $problem }.
endpoint-invalid-header-value = The value of '{ $name }' is not a valid header value.
endpoint-invalid-too-many-headers = At most { $max } headers.
endpoint-invalid-too-many-event-types = At most { $max } event types.
endpoint-invalid-event-type-name = '{ $name }' is not a valid event type name.
endpoint-invalid-unknown-event-types = Unknown event type(s): { $names }.
endpoint-invalid-points-to = The URL points to { $reason } ({ $ip }), which endpoints may not use.
endpoint-invalid-host-is = The URL's host is { $reason }, which endpoints may not use.
endpoint-invalid-resolves-to = The URL's host resolves to { $reason } ({ $ip }), which endpoints may not use.
endpoint-reason-cloud-metadata = a cloud metadata address
endpoint-reason-loopback = a loopback address
endpoint-reason-private = a private network address
endpoint-reason-link-local = a link-local address
endpoint-reason-cgnat = a carrier-grade NAT address
endpoint-reason-reserved = a reserved address
endpoint-reason-multicast = a multicast address
endpoint-reason-benchmarking = a benchmarking network address
endpoint-reason-ietf = an IETF protocol assignment address
endpoint-reason-unspecified = an unspecified address
endpoint-reason-unique-local = a private (unique local) address
endpoint-reason-loopback-name = a loopback host name
endpoint-reason-metadata-name = a cloud metadata host name
