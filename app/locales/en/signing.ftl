# What a receiver checks to verify a delivery, next to the signing secret and on an attempt.

signing-key-whsec = the base64 after whsec_ in the secret
signing-key-base64 = the base64-decoded secret
signing-key-hex = the 32 bytes the secret's hex encodes
signing-key-text = the secret's text
signing-standard-webhooks = Every request carries webhook-id, webhook-timestamp and webhook-signature headers (Standard Webhooks): v1, then the base64 HMAC-SHA256 of id.timestamp.body, keyed with { $key }.
signing-timestamp-hex = Every request carries X-Webhook-Timestamp (Unix seconds) and X-Webhook-Signature: v1= then the hex HMAC-SHA256 of timestamp.body, keyed with { $key }.
signing-body-base64 = Every request carries { $header }: the base64 HMAC-SHA256 of the raw body, keyed with { $key }.
