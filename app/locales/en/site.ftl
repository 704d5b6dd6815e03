# Herald's own pages outside a company's portal: the landing page, the portal's front door, and
# the page for a path that does not exist.

site-example-request = Example request

site-home-description = Herald delivers a product's events to the webhook endpoints its customers configure: signed, retried and recorded.
site-home-eyebrow = Self-hosted webhook delivery
site-home-lead = Herald delivers your product's events to the HTTPS endpoints your customers configure: every message signed, retried when a receiver fails, and each attempt recorded so nothing is lost without a trace.
site-home-read-api = Read the API reference
site-home-open-portal = Open the company portal
site-home-how-title = How it works
site-home-step-send-title = Your product sends an event
site-home-step-send-body = Your backend posts each event to the REST API once, with an idempotency key. A success answer means Herald has stored it and will deliver it.
site-home-step-deliver-title = Herald signs and delivers it
site-home-step-deliver-body = Each customer endpoint subscribed to the event type receives it, signed with the endpoint's secret (Standard Webhooks headers), and failed deliveries are retried on a schedule.
site-home-step-control-title = Your customers stay in control
site-home-step-control-body = In the company portal they add endpoints, choose the events they want, inspect every attempt, replay messages and rotate secrets.
site-home-api-title = The API
# Around the code "/api/v1", then "Authorization: Bearer".
site-home-api-before-path = The REST API lives under
site-home-api-before-header = and follows the Svix API, so the official Svix SDKs work when pointed at this server. Requests authenticate with an API key in the
site-home-api-after-header = {" "}header.
site-home-api-v1 = Applications (your customers), endpoints, event types and messages.
site-home-api-openapi = The OpenAPI document describing every operation.
site-home-api-health = Health check for load balancers and monitoring.
site-home-api-portal-access = Mints a single-use link that opens the company portal for one customer.
site-home-sending-event = Sending an event

site-portal-title = Company portal · Herald
site-portal-lead = The company portal is where you manage the webhook endpoints your provider sends events to: add endpoints, choose events, see every delivery attempt.
site-portal-open-heading = Open it from your provider's product
site-portal-open-body = The portal opens through a link that the product you use creates for you, usually from a "Webhooks" page in its settings. The link works once and expires shortly after it is created, so open the portal from there each time rather than bookmarking it.
site-portal-developers-heading = For the host product's developers
# Around the code "url", a field of the response.
site-portal-developers-before-url = Mint a link on your backend for the customer's application, then redirect the signed-in admin to the
site-portal-developers-after-url = in the response:
site-portal-described-in = The request is described in the
site-portal-openapi-document = OpenAPI document

site-not-found-title = Page not found · Herald
site-not-found-eyebrow = Error 404
site-not-found-heading = Page not found
site-not-found-no-page-at = There is no page at
site-not-found-go-home = Go to the overview
