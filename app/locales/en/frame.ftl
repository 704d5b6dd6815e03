# The frame around every page: Herald's own header and footer (outside a company's portal), the
# portal's bar, and what every page may show while loading or on an error.

skip-to-content = Skip to content
loading = Loading…
nav-main = Main
nav-overview = Overview
nav-company-portal = Company portal
nav-sign-in = Sign in
nav-api-reference = API reference
footer-tagline = self-hosted webhook delivery
footer-health = Service health

portal-webhooks = Webhooks
nav-portal = Portal
nav-endpoints = Endpoints
nav-delivery-log = Delivery log
nav-event-catalogue = Event catalogue
nav-team = Team
nav-audit-trail = Audit trail
badge-read-only = Read only
switch-company = Switch company
sign-out = Sign out
delivery-unavailable-notice = Webhooks aren't available in this environment. You can look around, but nothing can be changed or sent.

error-signed-out = Your session has ended. Open Webhooks again from your product, or sign in.
error-not-found = There is nothing here, or it belongs to another company.
error-forbidden = You have read-only access to this company's webhooks.
error-admin-only = Only this company's admins manage its team and read its audit trail.
error-operator-only = Only the operators of this Herald deployment can open its console.
error-unavailable = Webhooks aren't available in this environment.
error-paused = The operator has paused this company's webhooks: nothing can be changed or sent until they resume them.
error-rate-limited = Too many failed attempts. Wait 15 minutes and try again.
error-bad-credentials = The email or password is not right.
error-server = Something went wrong on our side. Try again in a moment.
error-network = Could not reach the server. Check your connection and try again.
