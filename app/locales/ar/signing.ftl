signing-key-whsec = قيمة base64 التي تلي whsec_ في السرّ
signing-key-base64 = السرّ بعد فك ترميز base64
signing-key-hex = البايتات الـ32 التي يرمّزها السرّ بالنظام الست عشري
signing-key-text = نص السرّ
signing-standard-webhooks = يحمل كل طلب الترويسات webhook-id وwebhook-timestamp وwebhook-signature ‏(Standard Webhooks): ‏v1، ثم HMAC-SHA256 بترميز base64 لـ id.timestamp.body، ومفتاحه { $key }.
signing-timestamp-hex = يحمل كل طلب X-Webhook-Timestamp (ثوانٍ بتوقيت Unix) وX-Webhook-Signature: ‏v1= ثم HMAC-SHA256 بالنظام الست عشري لـ timestamp.body، ومفتاحه { $key }.
signing-body-base64 = يحمل كل طلب { $header }: ‏HMAC-SHA256 بترميز base64 للجسم الخام، ومفتاحه { $key }.
