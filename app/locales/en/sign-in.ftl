# Password sign-in, the page a used or expired portal link lands on, and the company chooser.

sign-in-page-title = Sign in · Herald
sign-in-lead = Manage your company's webhooks.
sign-in-signed-out = You are signed out.
sign-in-email = Email
sign-in-password = Password
sign-in-from-product = Arriving from your product? Open Webhooks there: it signs you in here directly.
sign-in-missing-credentials = Enter your email and your password.

sign-in-link-expired-title = Link expired · Herald
sign-in-link-expired-heading = This link has expired: open Webhooks again from your product
sign-in-link-expired-lead = Links to this portal work once, for a short time, so nobody else can use them. Go back to the product you came from and open its Webhooks page again: it makes a fresh link.
sign-in-have-password = Have a password for this portal?

sign-in-companies-title = Your companies · Herald
sign-in-companies-heading = Your companies
sign-in-no-companies = You are not a member of any company yet. Ask an operator to add you.
