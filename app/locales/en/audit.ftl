# The audit trail: its page and filter, and each entry written as a sentence and as lines of
# changes. `who` is who made the change, `target` what it was made to (an endpoint's URL, a
# member's e-mail, a plan's name).

audit-lead = Every change to this company's webhooks: who made it, when, and what changed.
audit-empty = Nothing changed yet
audit-older = Older changes
audit-pages = Pages
audit-the-deployment = The deployment

## The filter (the kinds of change reuse the navigation's names where they match)

audit-filter-label = Filter the audit trail
audit-filter-show = Show
audit-filter-every-change = Every change
audit-filter-messages = Messages
audit-filter-company = Company
audit-filter-plans = Plans
audit-filter-api-keys = API keys
audit-filter-catalogue-imports = Catalogue imports

## Who made a change, when it was not a person signed in with a password

audit-actor-portal-link = Portal link
audit-actor-portal-link-user = Portal link (host user { $user })
audit-actor-api-key = API key "{ $name }"

## The entries as sentences

audit-endpoint-created = { $who } added the endpoint { $target }
audit-endpoint-updated = { $who } changed the endpoint { $target }
audit-endpoint-disabled = { $who } disabled the endpoint { $target }
audit-endpoint-enabled = { $who } enabled the endpoint { $target }
audit-endpoint-deleted = { $who } deleted the endpoint { $target }
audit-endpoint-secret-rotated = { $who } rotated the signing secret of { $target }
audit-endpoint-secret-revealed = { $who } revealed the signing secret of { $target }
audit-endpoint-headers-updated = { $who } changed the custom headers of { $target }
audit-endpoint-test-sent-type = { $who } sent a test { $type } event to { $target }
audit-endpoint-test-sent = { $who } sent a test event to { $target }
audit-endpoint-recovered =
    { $who } sent again { $count ->
        [one] 1 failed delivery
       *[other] { $count } failed deliveries
    } to { $target }
audit-endpoint-missed-sent =
    { $who } sent { $target } { $count ->
        [one] 1 delivery
       *[other] { $count } deliveries
    } it had missed
audit-message-resent = { $who } resent the message { $target }
# A permission in a sentence is written in lower case ("read and write").
audit-user-invited = { $who } invited { $target } as { $permission }
audit-user-joined = { $who } joined the company as { $permission }
audit-user-permission-changed = { $who } changed the permission of { $target } from { $from } to { $to }
audit-no-permission = no permission
audit-user-removed = { $who } removed { $target } from the company
audit-application-created = { $who } created the company
audit-application-updated = { $who } changed the company's settings
audit-application-deleted = { $who } deleted the company
audit-application-disabled = { $who } disabled the company
audit-application-enabled = { $who } enabled the company
audit-application-branding-changed = { $who } changed the company's portal branding
audit-application-plan-changed = { $who } moved the company to the { $plan } plan
audit-application-plan-removed = { $who } took the company off its plan (no limits)
audit-api-key-created = { $who } created the API key { $target }
audit-api-key-revoked = { $who } revoked the API key { $target }
audit-plan-created = { $who } created the plan { $target }
audit-plan-updated = { $who } changed the plan { $target }
audit-plan-deleted = { $who } deleted the plan { $target }
audit-catalogue-imported = { $who } imported the event catalogue: { $created } created, { $updated } updated
audit-event-type-created = { $who } added the event type { $target }
audit-event-type-updated = { $who } changed the event type { $target }
audit-event-type-archived = { $who } archived the event type { $target }
audit-event-type-restored = { $who } restored the event type { $target }
audit-event-type-deleted = { $who } deleted the event type { $target }
# An action a newer version filed; `action` is its technical name (endpoint.teleported).
audit-unknown = { $who } did { $action } on { $target }

## What changed, one line per field

audit-change = { $label }: { $from } → { $to }
audit-value = { $label }: { $value }
audit-value-all-events = all events
audit-value-any-channel = any channel
audit-value-none = none
audit-value-yes = yes
audit-value-no = no
audit-duration-days =
    { $count ->
        [one] 1 day
       *[other] { $count } days
    }
audit-duration-hours =
    { $count ->
        [one] 1 hour
       *[other] { $count } hours
    }
audit-duration-minutes =
    { $count ->
        [one] 1 minute
       *[other] { $count } minutes
    }
audit-duration-seconds =
    { $count ->
        [one] 1 second
       *[other] { $count } seconds
    }

audit-field-url = URL
audit-field-uid = UID
audit-field-description = Description
audit-field-event-types = Event types
audit-field-channels = Channels
audit-field-disabled = Disabled
audit-field-rate-limit = Rate limit (per second)
audit-field-metadata = Metadata
audit-field-headers = Custom headers
audit-field-grace-period = Old secret still accepted for
audit-field-key-chosen-by-caller = Secret chosen by the caller
audit-field-message = Message
audit-field-endpoint = Endpoint
audit-field-event-type = Event type
audit-field-since = Since
audit-field-until = Until
audit-field-deliveries = Deliveries
audit-field-email = E-mail
audit-field-permission = Permission
audit-field-name = Name
audit-field-plan = Plan
audit-field-display-name = Product name
audit-field-logo = Logo
audit-field-accent-color = Accent colour
audit-field-theme = Theme
audit-field-upgrade-url = Plan upgrade page
audit-field-group = Group
# Counts of an import of the event catalogue.
audit-field-created = Created
audit-field-updated = Updated
audit-field-via = Through
audit-field-max-endpoints = Endpoints allowed
audit-field-deliveries-per-hour = Deliveries per hour
audit-field-retry-schedule = Retry schedule
audit-field-timeout = Timeout
audit-field-retention = Kept for (days)
audit-field-auto-disable-after = Disabled after failed attempts
audit-field-auto-disable-min-failing = Disabled after failing for at least
