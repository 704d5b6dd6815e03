signing-key-whsec = la partie base64 qui suit whsec_ dans le secret
signing-key-base64 = le secret décodé depuis le base64
signing-key-hex = les 32 octets que code l’hexadécimal du secret
signing-key-text = le texte du secret
signing-standard-webhooks = Chaque requête porte les en-têtes webhook-id, webhook-timestamp et webhook-signature (Standard Webhooks) : v1, puis le HMAC-SHA256 en base64 de id.timestamp.body, avec pour clé { $key }.
signing-timestamp-hex = Chaque requête porte X-Webhook-Timestamp (secondes Unix) et X-Webhook-Signature : v1= puis le HMAC-SHA256 en hexadécimal de timestamp.body, avec pour clé { $key }.
signing-body-base64 = Chaque requête porte { $header } : le HMAC-SHA256 en base64 du corps brut, avec pour clé { $key }.
