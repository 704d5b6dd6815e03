#!/usr/bin/env bash
# Starts the release build on SQLite with a development API key, and says how to use it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
BIN=target/release/herald
if ! grep -qE '^hk_[A-Za-z0-9_-]{20,}$' data/dev-api-key 2>/dev/null; then
  "$BIN" api-key create --name "make run" > data/dev-api-key.tmp 2>/dev/null
  mv data/dev-api-key.tmp data/dev-api-key
  chmod 600 data/dev-api-key
fi
KEY=$(cat data/dev-api-key)
BIND=${HERALD_BIND:-127.0.0.1:8080}
cat <<MSG

  Herald is starting at http://$BIND
  API key (saved in data/dev-api-key):  $KEY

  Try it:
    curl -s -X POST http://$BIND/api/v1/app -H "Authorization: Bearer $KEY" \\
         -H 'Content-Type: application/json' -d '{"name":"Acme","uid":"acme"}'
    curl -s http://$BIND/api/v1/openapi.json | head -c 300

  Open the company portal for that application (the link works once, for 60 seconds):
    curl -s -X POST http://$BIND/api/v1/auth/app-portal-access/acme \\
         -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{}'
    then open the "url" it returns in your browser.

  Or sign in with a password at http://$BIND/login after creating a user:
    target/release/herald user create --email you@example.com --password 'a long password' \\
         --tenant acme --permission integration.write

  With the svix SDK:  Svix("$KEY", SvixOptions(server_url="http://$BIND"))
  Stop with Ctrl-C.

MSG
export HERALD_SITE_ROOT=${HERALD_SITE_ROOT:-target/site}
exec "$BIN" serve
