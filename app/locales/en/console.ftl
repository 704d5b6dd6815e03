# The operator console (/admin): system health, tenants and their branding, plans, the event
# catalogue, API keys and the deployment's audit trail. Also the errors its forms raise.

console-page-title = Operator console · Herald
console-title = Operator console
console-nav = Console
console-health = Health
console-tenants = Tenants
console-plans = Plans
console-keys = API keys
console-save = Save
console-field-name = Name

## System health

console-health-title = System health
console-queue-depth = Queue depth
console-queue-depth-value = { $waiting } waiting ({ $due } due now)
console-deliveries-per-minute = Deliveries per minute
console-failure-rate = Failure rate (last hour)
console-failure-rate-value = { $rate } of { $attempts } attempts
console-oldest-due = Oldest due delivery
console-none-waiting = none waiting
console-held = Held by plan limits
console-contract = Delivery contract
console-retries = Retries
# Built on the server from the deployment's settings; $delays is a list such as "5m, 30m, 2h".
console-retries-line = { $delays } (±{ $jitter }%), { $timeout } s to answer, endpoints disabled after { $failures } failures in a row; a company's plan overrides these
# A sentence around a link to the operational application.
console-operational-before = Operational webhooks (endpoint disabled, retries exhausted) go to the endpoints of the
console-operational-link = operational application
console-operational-after = ; add one there to hear about them.

# Who uses the send slots.
console-slots-title = Send slots
console-slots-summary =
    { $count } sends in flight on { $instances ->
        [one] 1 instance
       *[other] { $instances } instances
    }, each with { $slots } send slots; on each instance a company may hold up to { $company } of them, and one endpoint up to { $endpoint }.
console-slots-by-company = Send slots by company
console-more-companies = and { $count } more companies
console-nothing-sending = Nothing is being sent right now.

# Endpoints holding deliveries back, and why.
console-held-back-title = Endpoints holding deliveries back
console-held-back-empty = No endpoint is failing, paused, or disabled with deliveries waiting.
console-more-endpoints = and { $count } more
console-company-disabled = Company disabled
console-paused = Paused
console-failing = Failing
console-paused-by-receiver = it asked to wait (Retry-After)
console-failures-in-a-row =
    { $count ->
        [one] 1 failed attempt in a row
       *[other] { $count } failed attempts in a row
    }
console-paused-after-failures =
    after { $count ->
        [one] 1 failed attempt in a row
       *[other] { $count } failed attempts in a row
    }

## Tenants

console-search = Search
console-search-placeholder = name, uid or id
console-branding-saved = Branding saved.
console-no-tenants = No tenants match
console-plan-of = Plan of { $name }
console-no-plan = No plan (no limits)
console-tenant-usage = { $endpoints } endpoints · { $sent } sent this hour
console-held-count = { $count } held
console-active = Active
console-enable-tenant = Enable { $name }
console-disable-tenant = Disable { $name }
console-disable-tenant-question = Disable { $name }? Its API calls are refused and nothing is delivered until you enable it again; what it sent waits.
console-disable-tenant-confirm = Yes, disable { $name }

# A tenant's portal branding.
console-branding-of = Branding of { $name }
console-brand-product-name = Product name
console-brand-logo-url = Logo URL
console-brand-accent = Accent colour
console-brand-upgrade = Plan upgrade page
console-brand-theme = Theme
console-brand-theme-deployment = The deployment's
console-brand-theme-light = Light
console-brand-theme-dark = Dark
console-brand-theme-auto = Automatic (the viewer's system)
console-brand-save = Save branding

# A refused branding field: its name, then what is wrong with it.
console-brand-problem = { $field }: { $problem }.
console-brand-logo = Logo
console-brand-theme-invalid = Theme: choose light, dark or automatic.
console-brand-too-long = must be at most { $max } characters
console-brand-control-chars = must not contain control characters
console-brand-hex = must be a colour in hex, such as #0a7c59 or #0a5
console-brand-upgrade-https = must be an address that starts with https://
console-brand-logo-too-big = an inline logo must be at most { $kb } KB; link to the image instead
console-brand-logo-base64 = the inline image is not valid base64
console-brand-logo-type = an inline logo must be a base64 PNG, JPEG, GIF, WebP or SVG image
console-brand-logo-https = must be an https:// address (or a data:image/…;base64 URL)
console-brand-logo-host = must name a host, without a user or password
console-brand-logo-chars = must not contain spaces, quotes or angle brackets

## Plans

console-plans-lead = What each tenant on a plan may do. Changes apply at once, held deliveries included.
console-plan-saved = Plan saved.
console-new-plan = New plan
console-plan-max-endpoints = Max endpoints
console-plan-deliveries-per-hour = Deliveries per hour
console-plan-retry-schedule = Retry schedule
console-plan-timeout-seconds = Timeout (seconds)
console-plan-retention-days = Retention (days)
console-plan-auto-disable-failures = Auto-disable after (failures)
console-plan-min-failing = …and failing for at least
console-plan-min-failing-placeholder = the deployment's
console-plan-min-failing-help = 30m, 24h, 2d; at most 30d. Empty: the deployment's.
console-create-plan = Create plan
console-save-plan = Save { $name }

# A refused plan form. The field names are shorter than the labels.
console-error-whole-number = { $field }: enter a whole number
console-plan-timeout = Timeout
console-plan-retention = Retention
console-plan-auto-disable = Auto-disable after
console-error-min-failing = Least time failing: enter a delay such as 0s, 30m, 24h or 2d, or nothing for the deployment's

## Event catalogue

console-event-types = Event types
console-archived = Archived
console-archive = Archive { $name }
console-restore = Restore { $name }
console-event-type-form = Create or edit an event type
console-field-category = Category
console-field-description = Description
console-save-event-type = Save event type
console-import-title = Import a catalogue file
console-catalogue-json = Catalogue JSON
console-import = Import
console-imported = Imported: { $created } created, { $updated } updated.
console-export = Export
console-download-catalogue = Download catalogue.json
console-catalogue-file = Catalogue file

## API keys

console-keys-lead = Keys for the REST API. A key is shown once, when it is made; only its hash is kept.
console-create-key-title = Create a key
console-key-name-placeholder = billing backend
console-create-key = Create key
console-key-copy-now = Copy it now: it will not be shown again.
console-copy-key = Copy the API key
console-revoked = Revoked
console-revoke-key = Revoke { $name }
console-revoke-key-question = Revoke { $name }? Every call made with it is refused from now on; this cannot be undone.
console-revoke-key-confirm = Yes, revoke { $name }

## Audit trail

console-audit-lead = Every change in every company and in the deployment.
console-audit-empty = Nothing changed yet
console-pages = Pages
console-older-changes = Older changes
