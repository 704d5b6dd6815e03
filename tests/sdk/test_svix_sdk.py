"""Drives every Herald REST API path through the official `svix` Python SDK (2.9.1).

Run by scripts/sdk-test.sh, which starts `herald serve` and sets:
  SVIX_TEST_SERVER_URL  e.g. http://127.0.0.1:40123
  SVIX_TEST_TOKEN       an API key the server accepts
  SVIX_TEST_BACKEND     sqlite | postgres (informational)

A small HTTP receiver runs in a thread on 127.0.0.1 and is used as the endpoint URL, so messages
really get delivered; their signatures are checked with the SDK's own verifier
(svix.webhooks.Webhook). The server must run with HERALD_ALLOW_PRIVATE_NETWORKS=true and a short
HERALD_RETRY_SCHEDULE (200ms,400ms) for the failure/recover test to be quick.
"""

import base64
import json
import os
import secrets
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from svix.api import (
    ApplicationIn,
    ApplicationListOptions,
    ApplicationPatch,
    AppPortalAccessIn,
    EndpointGetStatsOptions,
    EndpointHeadersIn,
    EndpointHeadersPatchIn,
    EndpointIn,
    EndpointListOptions,
    EndpointPatch,
    EndpointSecretRotateIn,
    EndpointUpsertIn,
    EventExampleIn,
    EventTypeDeleteOptions,
    EventTypeIn,
    EventTypeListOptions,
    EventTypePatch,
    EventTypeUpsertIn,
    MessageAttemptListAttemptedDestinationsOptions,
    MessageAttemptListAttemptedMessagesOptions,
    MessageAttemptListByEndpointOptions,
    MessageAttemptListByMsgOptions,
    MessageCreateOptions,
    MessageGetOptions,
    MessageIn,
    MessageListOptions,
    RecoverIn,
    ReplayIn,
    Svix,
    SvixOptions,
)
from svix.exceptions import HttpError, HTTPValidationError
from svix.models import (
    BackgroundTaskStatus,
    BackgroundTaskType,
    MessageAttemptTriggerType,
    MessageStatus,
    MessageStatusText,
    Ordering,
)
from svix.webhooks import Webhook, WebhookVerificationError

SERVER_URL = os.environ.get("SVIX_TEST_SERVER_URL", "http://127.0.0.1:8080").rstrip("/")
TOKEN = os.environ.get("SVIX_TEST_TOKEN", "")
BACKEND = os.environ.get("SVIX_TEST_BACKEND", "unknown")

# Unique per run, so a re-run against the same database does not collide.
RUN = uuid.uuid4().hex[:10]


# --------------------------------------------------------------------------------------------
# helpers and fixtures


def wait_for(predicate, timeout=20.0, interval=0.05, what="condition"):
    """Polls `predicate` until it returns something truthy; returns that value."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < deadline:
        try:
            v = predicate()
            if v:
                return v
        except Exception as e:  # noqa: BLE001 - retried until the deadline
            last_exc = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}" + (f" (last error: {last_exc!r})" if last_exc else ""))


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Delivery:
    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers
        self.body = body
        self.received_at = time.time()

    def json(self):
        return json.loads(self.body)


class Receiver:
    """A local webhook receiver: records every POST; answers each path with a settable status."""

    def __init__(self):
        self.deliveries = []
        self.status = {}  # path -> HTTP status (default 200)
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n)
                with receiver.cond:
                    receiver.deliveries.append(Delivery(self.path, dict(self.headers.items()), body))
                    code = receiver.status.get(self.path, 200)
                    receiver.cond.notify_all()
                out = json.dumps({"ok": code < 300, "path": self.path}).encode()
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path, msg_id=None):
        with self.cond:
            return [
                d
                for d in self.deliveries
                if d.path == path and (msg_id is None or header(d.headers, "webhook-id", "svix-id") == msg_id)
            ]

    def wait(self, path, msg_id=None, count=1, timeout=20.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                got = [
                    d
                    for d in self.deliveries
                    if d.path == path and (msg_id is None or header(d.headers, "webhook-id", "svix-id") == msg_id)
                ]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"receiver: expected {count} deliveries to {path} (msg {msg_id}), got {len(got)}")
                self.cond.wait(left)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def header(headers, *names):
    lower = {k.lower(): v for k, v in headers.items()}
    for n in names:
        if n in lower:
            return lower[n]
    return None


@pytest.fixture(scope="session")
def svix():
    assert TOKEN, "SVIX_TEST_TOKEN is not set (run scripts/sdk-test.sh)"
    # No client-side retries: a 5xx must show up as a failure, not be papered over.
    return Svix(TOKEN, SvixOptions(server_url=SERVER_URL, retry_schedule=[], timeout=15.0))


@pytest.fixture(scope="session")
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture(scope="session")
def event_types(svix):
    """Two event types for the message tests: `created` (with an example) and `other`."""
    created = f"sdk.{RUN}.created"
    other = f"sdk.{RUN}.other"
    svix.event_type.create(
        EventTypeIn(
            name=created,
            description="An SDK test event",
            schemas={
                "1": {
                    "type": "object",
                    "properties": {"hello": {"type": "string"}},
                    "examples": [{"hello": "from the example"}],
                }
            },
        )
    )
    svix.event_type.create(EventTypeIn(name=other, description="Another SDK test event"))
    return {"created": created, "other": other}


@pytest.fixture(scope="session")
def app(svix):
    a = svix.application.create(ApplicationIn(name=f"SDK test app {RUN}", uid=f"sdk-app-{RUN}"))
    return a


@pytest.fixture(scope="session")
def delivery_endpoint(svix, app, receiver, event_types):
    """An endpoint on the local receiver, filtered to the `created` event type."""
    path = f"/ok/{RUN}"
    ep = svix.endpoint.create(
        app.id,
        EndpointIn(
            url=receiver.url(path),
            description="delivery endpoint",
            event_types=[event_types["created"]],
            uid=f"sdk-ep-{RUN}",
        ),
    )
    return {"id": ep.id, "path": path, "endpoint": ep}


@pytest.fixture(scope="session")
def delivered(svix, app, delivery_endpoint, receiver, event_types):
    """One message with an eventId, delivered to the receiver."""
    event_id = f"evt-{RUN}"
    payload = {"hello": "world", "n": 1, "nested": {"list": [1, 2, 3]}, "unicode": "héllo ✓"}
    msg = svix.message.create(
        app.id,
        MessageIn(event_type=event_types["created"], event_id=event_id, payload=payload),
        MessageCreateOptions(with_content=True),
    )
    got = receiver.wait(delivery_endpoint["path"], msg.id)
    return {"msg": msg, "payload": payload, "event_id": event_id, "delivery": got[0]}


def expect_http_error(status, fn, *args, **kwargs):
    with pytest.raises(HttpError) as ei:
        fn(*args, **kwargs)
    assert ei.value.status_code == status, f"expected HTTP {status}, got {ei.value.status_code}: {ei.value.to_dict()}"
    return ei.value


# --------------------------------------------------------------------------------------------
# health


def test_health(svix):
    assert svix.health.get() is None


def test_wrong_token_is_401():
    bad = Svix("sk_not_a_real_key_000000000000000000", SvixOptions(server_url=SERVER_URL, retry_schedule=[]))
    expect_http_error(401, bad.application.list)


# --------------------------------------------------------------------------------------------
# applications


def test_application_crud(svix):
    uid = f"app-crud-{RUN}"
    a = svix.application.create(ApplicationIn(name="CRUD app", uid=uid, metadata={"team": "sdk"}, throttle_rate=100))
    assert a.id and a.name == "CRUD app" and a.uid == uid
    assert a.metadata == {"team": "sdk"}
    assert a.throttle_rate == 100
    assert a.created_at.tzinfo is not None

    assert svix.application.get(a.id).id == a.id
    assert svix.application.get(uid).id == a.id, "GET by uid"

    # list, with paging
    page = svix.application.list(ApplicationListOptions(limit=250))
    assert any(x.id == a.id for x in page.data)
    assert isinstance(page.done, bool)
    first = svix.application.list(ApplicationListOptions(limit=1, order=Ordering.ASCENDING))
    assert len(first.data) == 1
    if not first.done:
        assert first.iterator
        nxt = svix.application.list(ApplicationListOptions(limit=1, iterator=first.iterator, order=Ordering.ASCENDING))
        assert nxt.data and nxt.data[0].id != first.data[0].id

    # update (PUT: the SDK calls it upsert)
    u = svix.application.upsert(a.id, ApplicationIn(name="CRUD app renamed", uid=uid, metadata={"team": "core"}))
    assert u.id == a.id and u.name == "CRUD app renamed" and u.metadata == {"team": "core"}

    # patch
    p = svix.application.patch(a.id, ApplicationPatch(name="CRUD app patched"))
    assert p.name == "CRUD app patched" and p.uid == uid and p.metadata == {"team": "core"}
    p = svix.application.patch(a.id, ApplicationPatch(metadata={"k": "v"}))
    assert p.name == "CRUD app patched" and p.metadata == {"k": "v"}

    # get_or_create: the existing one, then a new one
    same = svix.application.get_or_create(ApplicationIn(name="ignored", uid=uid))
    assert same.id == a.id and same.name == "CRUD app patched"
    fresh = svix.application.get_or_create(ApplicationIn(name="goc new", uid=f"app-goc-{RUN}"))
    assert fresh.id != a.id and fresh.name == "goc new"
    again = svix.application.get_or_create(ApplicationIn(name="goc new", uid=f"app-goc-{RUN}"))
    assert again.id == fresh.id

    # delete
    assert svix.application.delete(a.id) is None
    expect_http_error(404, svix.application.get, a.id)
    svix.application.delete(fresh.id)
    expect_http_error(404, svix.application.get, f"app-goc-{RUN}")


def test_application_duplicate_uid_is_409(svix):
    uid = f"app-dup-{RUN}"
    a = svix.application.create(ApplicationIn(name="dup", uid=uid))
    expect_http_error(409, svix.application.create, ApplicationIn(name="dup", uid=uid))
    svix.application.delete(a.id)


def test_missing_application_is_404(svix):
    e = expect_http_error(404, svix.application.get, f"app_does_not_exist_{RUN}")
    assert e.code


def test_validation_error_is_raised_as_sdk_exception(svix, app):
    """A 422 must be parseable by the SDK: it raises HTTPValidationError (detail: a list of
    {loc, msg, type}). A plain-string `detail` makes the SDK crash with AttributeError."""
    with pytest.raises(HTTPValidationError) as ei:
        svix.endpoint.create(app.id, EndpointIn(url="not a url"))
    assert ei.value.status_code == 422


# --------------------------------------------------------------------------------------------
# event types


def test_event_type_crud(svix):
    name = f"sdk.{RUN}.crud"
    et = svix.event_type.create(
        EventTypeIn(name=name, description="CRUD event", schemas={"1": {"type": "object"}}, group_name="sdk")
    )
    assert et.name == name and et.description == "CRUD event"
    assert et.deprecated is False and not et.archived
    assert et.schemas == {"1": {"type": "object"}}
    assert et.group_name == "sdk"

    # a duplicate is a 409
    e = expect_http_error(409, svix.event_type.create, EventTypeIn(name=name, description="again"))
    assert e.code == "event_type_exists"

    g = svix.event_type.get(name)
    assert g.name == name and g.description == "CRUD event"

    lst = svix.event_type.list(EventTypeListOptions(limit=250))
    assert any(x.name == name for x in lst.data)
    lst = svix.event_type.list(EventTypeListOptions(limit=250, with_content=True))
    assert [x for x in lst.data if x.name == name][0].schemas == {"1": {"type": "object"}}

    # update (PUT: the SDK calls it upsert)
    u = svix.event_type.upsert(name, EventTypeUpsertIn(description="updated", schemas={"1": {"type": "object", "title": "t"}}))
    assert u.name == name and u.description == "updated"
    assert u.schemas == {"1": {"type": "object", "title": "t"}}

    # patch
    p = svix.event_type.patch(name, EventTypePatch(description="patched", deprecated=True))
    assert p.description == "patched" and p.deprecated is True
    assert p.schemas == {"1": {"type": "object", "title": "t"}}, "patch keeps fields it does not name"

    # delete archives by default
    assert svix.event_type.delete(name) is None
    assert svix.event_type.get(name).archived is True
    active = svix.event_type.list(EventTypeListOptions(limit=250))
    assert all(x.name != name for x in active.data), "archived types are hidden by default"
    all_ = svix.event_type.list(EventTypeListOptions(limit=250, include_archived=True))
    assert any(x.name == name for x in all_.data)

    # expunge deletes it
    svix.event_type.delete(name, EventTypeDeleteOptions(expunge=True))
    expect_http_error(404, svix.event_type.get, name)


def test_event_type_upsert_creates(svix):
    name = f"sdk.{RUN}.upserted"
    et = svix.event_type.upsert(name, EventTypeUpsertIn(description="made by PUT"))
    assert et.name == name and et.description == "made by PUT"
    svix.event_type.delete(name, EventTypeDeleteOptions(expunge=True))


# --------------------------------------------------------------------------------------------
# endpoints


def test_endpoint_crud(svix, app, receiver, event_types):
    path = f"/crud/{RUN}"
    ep = svix.endpoint.create(
        app.id,
        EndpointIn(
            url=receiver.url(path),
            description="CRUD endpoint",
            event_types=[event_types["created"]],
            channels=["ch1"],
            metadata={"owner": "sdk"},
            uid=f"ep-crud-{RUN}",
            headers={"X-Custom": "one"},
            throttle_rate=50,
        ),
    )
    assert ep.id and ep.url == receiver.url(path) and ep.description == "CRUD endpoint"
    assert ep.event_types == [event_types["created"]], "the SDK reads eventTypes"
    assert ep.channels == ["ch1"]
    assert ep.metadata == {"owner": "sdk"}
    assert ep.uid == f"ep-crud-{RUN}"
    assert ep.throttle_rate == 50
    assert not ep.disabled

    g = svix.endpoint.get(app.id, ep.id)
    assert g.id == ep.id and g.event_types == [event_types["created"]]
    assert svix.endpoint.get(app.id, f"ep-crud-{RUN}").id == ep.id, "GET by uid"

    lst = svix.endpoint.list(app.id, EndpointListOptions(limit=50))
    assert any(x.id == ep.id for x in lst.data)

    # update (PUT: the SDK calls it upsert)
    u = svix.endpoint.upsert(
        app.id,
        ep.id,
        EndpointUpsertIn(
            url=receiver.url(path + "/v2"),
            description="updated",
            event_types=[event_types["created"], event_types["other"]],
            uid=f"ep-crud-{RUN}",
        ),
    )
    assert u.id == ep.id and u.url == receiver.url(path + "/v2") and u.description == "updated"
    assert sorted(u.event_types or []) == sorted([event_types["created"], event_types["other"]])

    # patch
    p = svix.endpoint.patch(app.id, ep.id, EndpointPatch(description="patched", metadata={"a": "b"}))
    assert p.description == "patched" and p.metadata == {"a": "b"}
    assert p.url == receiver.url(path + "/v2"), "patch keeps fields it does not name"
    p = svix.endpoint.patch(app.id, ep.id, EndpointPatch(disabled=True))
    assert p.disabled is True
    p = svix.endpoint.patch(app.id, ep.id, EndpointPatch(disabled=False, event_types=[event_types["other"]]))
    assert p.disabled is False and p.event_types == [event_types["other"]]

    # stats
    st = svix.endpoint.get_stats(app.id, ep.id)
    assert st.success >= 0 and st.pending >= 0 and st.sending >= 0 and st.fail >= 0 and st.canceled >= 0
    now = datetime.now(timezone.utc)
    st = svix.endpoint.get_stats(app.id, ep.id, EndpointGetStatsOptions(since=now - timedelta(days=1), until=now))
    assert st.fail >= 0

    # delete
    assert svix.endpoint.delete(app.id, ep.id) is None
    expect_http_error(404, svix.endpoint.get, app.id, ep.id)


def test_endpoint_secret_get_and_rotate(svix, app, receiver):
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(f"/secret/{RUN}")))
    s1 = svix.endpoint.get_secret(app.id, ep.id).key
    assert s1.startswith("whsec_")

    # rotate to a random secret: returned, and what get_secret then answers
    rotated = svix.endpoint.rotate_secret(app.id, ep.id, EndpointSecretRotateIn())
    assert rotated.key.startswith("whsec_") and rotated.key != s1
    assert svix.endpoint.get_secret(app.id, ep.id).key == rotated.key

    # rotate to a given secret
    mine = new_secret()
    r2 = svix.endpoint.rotate_secret(app.id, ep.id, EndpointSecretRotateIn(key=mine, grace_period_seconds=0))
    assert r2.key == mine
    assert svix.endpoint.get_secret(app.id, ep.id).key == mine

    # a secret given at creation is kept
    given = new_secret()
    ep2 = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(f"/secret2/{RUN}"), secret=given))
    assert svix.endpoint.get_secret(app.id, ep2.id).key == given

    svix.endpoint.delete(app.id, ep.id)
    svix.endpoint.delete(app.id, ep2.id)


def test_endpoint_headers(svix, app, receiver):
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(f"/headers/{RUN}"), headers={"X-Initial": "1"}))
    h = svix.endpoint.get_headers(app.id, ep.id)
    assert h.headers.get("X-Initial") == "1" or h.headers.get("x-initial") == "1"
    assert isinstance(h.sensitive, list)

    # set (PUT) replaces them all
    assert svix.endpoint.set_headers(app.id, ep.id, EndpointHeadersIn(headers={"X-A": "a", "X-B": "b"})) is None
    h = svix.endpoint.get_headers(app.id, ep.id)
    assert {k.lower(): v for k, v in h.headers.items()} == {"x-a": "a", "x-b": "b"}

    # patch adds/changes
    assert svix.endpoint.patch_headers(app.id, ep.id, EndpointHeadersPatchIn(headers={"X-B": "b2", "X-C": "c"})) is None
    h = svix.endpoint.get_headers(app.id, ep.id)
    assert {k.lower(): v for k, v in h.headers.items()} == {"x-a": "a", "x-b": "b2", "x-c": "c"}

    # credential headers are listed as sensitive, without their value
    svix.endpoint.patch_headers(app.id, ep.id, EndpointHeadersPatchIn(headers={"Authorization": "Bearer secret"}))
    h = svix.endpoint.get_headers(app.id, ep.id)
    assert "authorization" in [s.lower() for s in h.sensitive]
    assert "Bearer secret" not in h.headers.values()

    svix.endpoint.delete(app.id, ep.id)


def test_endpoint_patch_headers_delete_headers(svix, app, receiver):
    """SDK 2.9.1 removes headers with EndpointHeadersPatchIn(delete_headers=[...]), sent as
    `deleteHeaders`."""
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(f"/headers-del/{RUN}"), headers={"X-Keep": "k", "X-Drop": "d"}))
    try:
        svix.endpoint.patch_headers(app.id, ep.id, EndpointHeadersPatchIn(headers={}, delete_headers=["X-Drop"]))
        h = svix.endpoint.get_headers(app.id, ep.id)
        assert {k.lower(): v for k, v in h.headers.items()} == {"x-keep": "k"}
    finally:
        svix.endpoint.delete(app.id, ep.id)


def test_endpoint_filter_accepts_filter_types_raw(app):
    """The open-source spec's `filterTypes` is accepted on input and returned on output (raw HTTP:
    the SDK itself only knows `eventTypes`)."""
    with httpx.Client(base_url=SERVER_URL, headers={"authorization": f"Bearer {TOKEN}"}) as c:
        et = f"sdk.{RUN}.created"
        r = c.post(f"/api/v1/app/{app.id}/endpoint", json={"url": "http://127.0.0.1:9/x", "filterTypes": [et]})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body.get("filterTypes") == [et] and body.get("eventTypes") == [et]
        c.delete(f"/api/v1/app/{app.id}/endpoint/{body['id']}")


# --------------------------------------------------------------------------------------------
# messages and delivery


def test_message_delivered_and_signed(svix, app, delivery_endpoint, delivered):
    msg, d = delivered["msg"], delivered["delivery"]
    assert msg.id and msg.event_id == delivered["event_id"]
    assert msg.payload == delivered["payload"], "with_content=True returns the payload"
    assert msg.timestamp.tzinfo is not None

    # the body is the payload; the signature verifies with the SDK's own verifier
    assert json.loads(d.body) == delivered["payload"]
    secret = svix.endpoint.get_secret(app.id, delivery_endpoint["id"]).key
    Webhook(secret).verify(d.body, d.headers)
    assert header(d.headers, "svix-id", "webhook-id") == msg.id
    # and does not verify with another secret
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(d.body, d.headers)


def test_signature_after_rotation(svix, app, receiver, event_types):
    path = f"/rotated/{RUN}"
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(path), event_types=[event_types["other"]]))
    new = svix.endpoint.rotate_secret(app.id, ep.id, EndpointSecretRotateIn()).key
    msg = svix.message.create(app.id, MessageIn(event_type=event_types["other"], payload={"after": "rotation"}))
    d = receiver.wait(path, msg.id)[0]
    Webhook(new).verify(d.body, d.headers)
    svix.endpoint.delete(app.id, ep.id)


def test_message_get_and_list(svix, app, delivered, event_types):
    msg = delivered["msg"]
    g = svix.message.get(app.id, msg.id, MessageGetOptions(with_content=True))
    assert g.id == msg.id and g.event_type == event_types["created"] and g.event_id == delivered["event_id"]
    assert g.payload == delivered["payload"]
    # the SDK's default is with_content=false
    g2 = svix.message.get(app.id, msg.id)
    assert g2.id == msg.id

    lst = svix.message.list(app.id, MessageListOptions(limit=100, with_content=True))
    found = [m for m in lst.data if m.id == msg.id]
    assert found and found[0].payload == delivered["payload"]
    lst = svix.message.list(app.id, MessageListOptions(event_types=[event_types["created"]]))
    assert all(m.event_type == event_types["created"] for m in lst.data)
    assert any(m.id == msg.id for m in lst.data)


def test_message_event_id_conflict(svix, app, delivered, event_types):
    e = expect_http_error(
        409,
        svix.message.create,
        app.id,
        MessageIn(event_type=event_types["created"], event_id=delivered["event_id"], payload={"again": True}),
    )
    assert e.code


def test_message_idempotency_key(svix, app, event_types):
    key = f"idem-{RUN}"
    m1 = svix.message.create(app.id, MessageIn(event_type=event_types["other"], payload={"i": 1}), MessageCreateOptions(idempotency_key=key))
    m2 = svix.message.create(app.id, MessageIn(event_type=event_types["other"], payload={"i": 1}), MessageCreateOptions(idempotency_key=key))
    assert m1.id == m2.id


def test_message_create_with_application(svix, event_types):
    """MessageIn.application creates the application (uid from the path) if it does not exist."""
    uid = f"app-implicit-{RUN}"
    m = svix.message.create(
        uid, MessageIn(event_type=event_types["other"], payload={"x": 1}, application=ApplicationIn(name="implicit", uid=uid))
    )
    assert m.id
    a = svix.application.get(uid)
    assert a.uid == uid and a.name == "implicit"
    svix.application.delete(a.id)


def test_message_to_missing_app_is_404(svix, event_types):
    expect_http_error(404, svix.message.create, f"app-missing-{RUN}", MessageIn(event_type=event_types["other"], payload={}))


def test_event_type_filter(svix, app, delivery_endpoint, receiver, event_types):
    """The delivery endpoint listens to `created` only: an `other` message is not sent to it."""
    msg = svix.message.create(app.id, MessageIn(event_type=event_types["other"], payload={"filtered": True}))
    dests = svix.message_attempt.list_attempted_destinations(app.id, msg.id)
    assert all(d.id != delivery_endpoint["id"] for d in dests.data)
    time.sleep(0.5)
    assert receiver.received(delivery_endpoint["path"], msg.id) == []


# --------------------------------------------------------------------------------------------
# message attempts


def _successful_attempt(svix, app_id, msg_id, ep_id):
    def find():
        lst = svix.message_attempt.list_by_msg(app_id, msg_id, MessageAttemptListByMsgOptions(endpoint_id=ep_id))
        ok = [a for a in lst.data if a.status == MessageStatus.SUCCESS and a.endpoint_id == ep_id]
        return ok[0] if ok else None

    return wait_for(find, what=f"a successful attempt for {msg_id}")


def test_attempts_list_and_get(svix, app, delivery_endpoint, delivered):
    msg = delivered["msg"]
    ep_id = delivery_endpoint["id"]
    att = _successful_attempt(svix, app.id, msg.id, ep_id)
    assert att.msg_id == msg.id and att.endpoint_id == ep_id
    assert att.response_status_code == 200
    assert att.status_text == MessageStatusText.SUCCESS
    assert att.trigger_type == MessageAttemptTriggerType.SCHEDULED
    assert att.url.endswith(delivery_endpoint["path"])
    assert att.response_duration_ms >= 0

    by_msg = svix.message_attempt.list_by_msg(app.id, msg.id, MessageAttemptListByMsgOptions(endpoint_id=ep_id, limit=10))
    assert any(a.id == att.id for a in by_msg.data)
    by_msg_ok = svix.message_attempt.list_by_msg(app.id, msg.id, MessageAttemptListByMsgOptions(status=MessageStatus.SUCCESS))
    assert all(a.status == MessageStatus.SUCCESS for a in by_msg_ok.data)

    by_ep = svix.message_attempt.list_by_endpoint(app.id, ep_id, MessageAttemptListByEndpointOptions(limit=50))
    assert any(a.id == att.id for a in by_ep.data)
    by_ep_wm = svix.message_attempt.list_by_endpoint(app.id, ep_id, MessageAttemptListByEndpointOptions(limit=50, with_msg=True))
    assert any(a.id == att.id for a in by_ep_wm.data)

    g = svix.message_attempt.get(app.id, msg.id, att.id)
    assert g.id == att.id and g.msg_id == msg.id and g.status == MessageStatus.SUCCESS

    msgs = svix.message_attempt.list_attempted_messages(app.id, ep_id, MessageAttemptListAttemptedMessagesOptions(limit=50))
    em = [m for m in msgs.data if m.id == msg.id]
    assert em and em[0].status == MessageStatus.SUCCESS and em[0].status_text == MessageStatusText.SUCCESS
    assert em[0].event_type == delivered["msg"].event_type

    dests = svix.message_attempt.list_attempted_destinations(app.id, msg.id, MessageAttemptListAttemptedDestinationsOptions(limit=50))
    d = [x for x in dests.data if x.id == ep_id]
    assert d and d[0].status == MessageStatus.SUCCESS and d[0].url.endswith(delivery_endpoint["path"])


def test_attempt_resend(svix, app, delivery_endpoint, delivered, receiver):
    msg = delivered["msg"]
    path = delivery_endpoint["path"]
    before = len(receiver.received(path, msg.id))
    svix.message_attempt.resend(app.id, msg.id, delivery_endpoint["id"])
    got = receiver.wait(path, msg.id, count=before + 1)
    secret = svix.endpoint.get_secret(app.id, delivery_endpoint["id"]).key
    Webhook(secret).verify(got[-1].body, got[-1].headers)

    def manual():
        lst = svix.message_attempt.list_by_msg(app.id, msg.id)
        return [a for a in lst.data if a.trigger_type == MessageAttemptTriggerType.MANUAL]

    wait_for(manual, what="a manual attempt after resend")


def test_attempt_expunge_content(svix, app, delivery_endpoint, delivered):
    msg = delivered["msg"]
    att = _successful_attempt(svix, app.id, msg.id, delivery_endpoint["id"])
    assert svix.message_attempt.expunge_content(app.id, msg.id, att.id) is None
    g = svix.message_attempt.get(app.id, msg.id, att.id)
    assert g.id == att.id
    assert '"ok"' not in g.response, f"response body still there after expunge: {g.response!r}"


def test_message_expunge_content(svix, app, event_types):
    msg = svix.message.create(app.id, MessageIn(event_type=event_types["other"], payload={"secret": "s3cr3t"}))
    assert svix.message.expunge_content(app.id, msg.id) is None
    g = svix.message.get(app.id, msg.id, MessageGetOptions(with_content=True))
    assert g.id == msg.id
    assert "secret" not in g.payload


# --------------------------------------------------------------------------------------------
# send_example and recover


def test_send_example(svix, app, receiver, event_types):
    path = f"/example/{RUN}"
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(path), event_types=[event_types["other"]]))
    m = svix.endpoint.send_example(app.id, ep.id, EventExampleIn(event_type=event_types["created"]))
    assert m.id and m.event_type == event_types["created"]
    d = receiver.wait(path, m.id)[0]
    assert json.loads(d.body) == {"hello": "from the example"}
    secret = svix.endpoint.get_secret(app.id, ep.id).key
    Webhook(secret).verify(d.body, d.headers)
    svix.endpoint.delete(app.id, ep.id)


def test_failures_then_recover(svix, app, receiver, event_types):
    path = f"/flaky/{RUN}"
    receiver.status[path] = 500
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(path), event_types=[event_types["other"]]))
    start = datetime.now(timezone.utc) - timedelta(minutes=5)
    msg = svix.message.create(app.id, MessageIn(event_type=event_types["other"], payload={"flaky": True}))

    # retry schedule 200ms,400ms: three attempts, then the delivery is failed
    def failed():
        dests = svix.message_attempt.list_attempted_destinations(app.id, msg.id)
        d = [x for x in dests.data if x.id == ep.id]
        return d and d[0].status == MessageStatus.FAIL

    wait_for(failed, timeout=30, what="the delivery to fail")
    atts = svix.message_attempt.list_by_msg(app.id, msg.id, MessageAttemptListByMsgOptions(endpoint_id=ep.id))
    assert len(atts.data) >= 2
    assert all(a.status == MessageStatus.FAIL and a.response_status_code == 500 for a in atts.data)
    st = svix.endpoint.get_stats(app.id, ep.id)
    assert st.fail >= 1

    fails = svix.message_attempt.list_by_endpoint(app.id, ep.id, MessageAttemptListByEndpointOptions(status=MessageStatus.FAIL))
    assert fails.data and all(a.status == MessageStatus.FAIL for a in fails.data)

    # the endpoint recovers; `recover` sends the failed message again
    receiver.status[path] = 200
    n_before = len(receiver.received(path, msg.id))
    out = svix.endpoint.recover(app.id, ep.id, RecoverIn(since=start))
    assert out.id
    assert out.status in (BackgroundTaskStatus.RUNNING, BackgroundTaskStatus.FINISHED)
    assert out.task == BackgroundTaskType.ENDPOINT_RECOVER
    receiver.wait(path, msg.id, count=n_before + 1)

    def succeeded():
        dests = svix.message_attempt.list_attempted_destinations(app.id, msg.id)
        d = [x for x in dests.data if x.id == ep.id]
        return d and d[0].status == MessageStatus.SUCCESS

    wait_for(succeeded, what="the recovered delivery to succeed")
    assert svix.endpoint.get_stats(app.id, ep.id).success >= 1
    svix.endpoint.delete(app.id, ep.id)


def test_replay_missing_sends_what_a_filter_skipped(svix, app, receiver, event_types):
    path = f"/widened/{RUN}"
    ep = svix.endpoint.create(app.id, EndpointIn(url=receiver.url(path), event_types=[event_types["other"]]))
    start = datetime.now(timezone.utc) - timedelta(minutes=5)
    msg = svix.message.create(app.id, MessageIn(event_type=event_types["created"], payload={"skipped": True}))
    seen = svix.message_attempt.list_attempted_destinations(app.id, msg.id)
    assert all(d.id != ep.id for d in seen.data), "a skipped delivery is not listed by default"

    # The filter now takes the type: replay-missing sends the skipped message, once.
    svix.endpoint.patch(app.id, ep.id, EndpointPatch(event_types=[event_types["other"], event_types["created"]]))
    out = svix.endpoint.replay_missing(app.id, ep.id, ReplayIn(since=start))
    assert out.id.startswith("qtask_")
    assert out.status == BackgroundTaskStatus.FINISHED
    assert out.task == BackgroundTaskType.ENDPOINT_REPLAY
    receiver.wait(path, msg.id, count=1)

    def succeeded():
        dests = svix.message_attempt.list_attempted_destinations(app.id, msg.id)
        d = [x for x in dests.data if x.id == ep.id]
        return d and d[0].status == MessageStatus.SUCCESS

    wait_for(succeeded, what="the replayed delivery to succeed")
    again = svix.endpoint.replay_missing(app.id, ep.id, ReplayIn(since=start))
    assert again.status == BackgroundTaskStatus.FINISHED
    assert len(receiver.received(path, msg.id)) == 1
    svix.endpoint.delete(app.id, ep.id)


# --------------------------------------------------------------------------------------------
# authentication


def test_app_portal_access(svix, app):
    out = svix.authentication.app_portal_access(app.id, AppPortalAccessIn())
    assert out.url.startswith("http") and out.token
    out2 = svix.authentication.app_portal_access(app.id, AppPortalAccessIn(read_only=True, expiry=3600, session_id="s1"))
    assert out2.url and out2.token and out2.token != out.token
    expect_http_error(404, svix.authentication.app_portal_access, f"app-missing-{RUN}", AppPortalAccessIn())


def test_portal_link_opens_once_and_expire_all_ends_sessions(svix, app):
    from svix.models import ApplicationTokenExpireIn

    out = svix.authentication.app_portal_access(app.id, AppPortalAccessIn(session_id="sdk-user"))
    with httpx.Client(follow_redirects=False) as browser:
        first = browser.get(out.url)
        assert first.status_code == 303 and first.headers["location"] == f"/portal/{app.id}"
        assert "herald_session=" in first.headers["set-cookie"]
        again = browser.get(out.url)
        assert again.headers["location"] == "/portal/expired"
        cookie = first.headers["set-cookie"].split(";")[0]
        page = browser.get(f"{SERVER_URL}/portal/{app.id}", headers={"cookie": cookie})
        assert page.status_code == 200 and "Endpoints" in page.text
        svix.authentication.expire_all(app.id, ApplicationTokenExpireIn(session_ids=["sdk-user"]))
        page = browser.get(f"{SERVER_URL}/portal/{app.id}", headers={"cookie": cookie})
        assert page.status_code == 401


# --------------------------------------------------------------------------------------------
# teardown: deleting the application at the end exercises delete with data attached


def test_zz_delete_app_with_data(svix, app):
    svix.application.delete(app.id)
    expect_http_error(404, svix.application.get, app.id)
