//! Nothing lost: a process killed mid-delivery, and several instances sharing one database.

use crate::common::{Backend, Receiver, Reply, TestApp, TestDb};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

fn counts_by_id(rx: &Receiver) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in rx.requests() {
        *m.entry(r.header("webhook-id").to_owned()).or_insert(0) += 1;
    }
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_mid_delivery_loses_no_message_after_restart() {
    let db = Arc::new(TestDb::create(Backend::Sqlite).await);
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(200).delay(Duration::from_millis(50)));
    let config = [
        ("WORKER_CONCURRENCY", "4"),
        ("RETRY_SCHEDULE", "200ms,200ms,200ms"),
    ];

    let first = TestApp::spawn_process(Backend::Sqlite, db.clone(), &config).await;
    let a = first.create_app("Acme").await;
    first.create_endpoint(&a, &rx.url("/hook"), json!({})).await;
    let mut sent = Vec::new();
    for i in 0..100 {
        sent.push(first.send(&a, "invoice.paid", json!({ "i": i })).await);
    }
    // Mid-way: some delivered, most not.
    rx.wait_for(10, Duration::from_secs(20)).await;
    first.kill();
    let before_restart = counts_by_id(&rx).len();
    assert!(
        before_restart < 100,
        "all delivered before the kill; the test proves nothing"
    );

    let second = TestApp::spawn_process(Backend::Sqlite, db.clone(), &config).await;
    let got = rx.wait_for_distinct(100, Duration::from_secs(60)).await;
    for id in &sent {
        assert!(got.contains_key(id), "message {id} was lost");
    }
    // The accepted messages are all still listed.
    let listed = second
        .get(&format!("/api/v1/app/{a}/msg?limit=250"))
        .await
        .expect(200);
    assert_eq!(listed["data"].as_array().unwrap().len(), 100);
    second.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_database_deliver_each_message_exactly_once() {
    let db = Arc::new(TestDb::create(Backend::Postgres).await);
    let rx = Receiver::start().await;
    rx.default_reply(Reply::status(200).delay(Duration::from_millis(5)));
    let one = TestApp::spawn_on(Backend::Postgres, db.clone(), &[]).await;
    let two = TestApp::spawn_on(Backend::Postgres, db.clone(), &[]).await;
    let a = one.create_app("Acme").await;
    one.create_endpoint(&a, &rx.url("/hook"), json!({})).await;

    let mut sent = Vec::new();
    for i in 0..200 {
        let via = if i % 2 == 0 { &one } else { &two };
        sent.push(via.send(&a, "invoice.paid", json!({ "i": i })).await);
    }
    let got = rx.wait_for_distinct(200, Duration::from_secs(60)).await;
    // A duplicate would come from a delivery claimed twice: once both instances have nothing
    // due and nothing in flight, every send that was going to happen has happened.
    one.drain().await;
    two.drain().await;
    one.drain().await;
    let got_after = counts_by_id(&rx);
    assert_eq!(got.len(), 200);
    for id in &sent {
        assert!(
            got_after.contains_key(id),
            "message {id} was never delivered"
        );
    }
    let dups: Vec<_> = got_after.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dups.is_empty(), "delivered more than once: {dups:?}");
    assert_eq!(rx.count(), 200);
    one.stop().await;
    two.stop().await;
}
