//! The bench's receiver: a local HTTP server that records, per (message id, endpoint number), how
//! many times a message arrived and when it first did. Its behaviour can be switched at runtime
//! (answer, hang, answer 503, close the connection) to stand in for an endpoint that fails.

use bytes::Bytes;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// (message id, endpoint number from the path `/ep/<n>`) -> (times received, first arrival).
/// Only answered deliveries (2xx) count as arrivals.
pub type Arrivals = Arc<Mutex<HashMap<(String, usize), (u32, Instant)>>>;

/// How the receiver answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    /// 200, and the delivery counts as arrived.
    Answer = 0,
    /// Reads the request and never answers, until the mode changes: the sender's timeout ends it.
    /// A held request is answered by whatever mode the receiver switches to.
    Hang = 1,
    /// 503 Service Unavailable (with `Retry-After` when the receiver was given one).
    Unavailable = 2,
    /// Closes the connection without an answer: the sender sees a connection error.
    Refuse = 3,
}

impl Mode {
    fn from_u8(v: u8) -> Mode {
        match v {
            1 => Mode::Hang,
            2 => Mode::Unavailable,
            3 => Mode::Refuse,
            _ => Mode::Answer,
        }
    }
}

struct Shared {
    mode: AtomicU8,
    changed: Notify,
    arrivals: Arrivals,
    /// Every request that reached the receiver, whatever it was answered; a connection closed
    /// unread in [`Mode::Refuse`] counts as one.
    requests: AtomicU64,
    /// Requests being held by [`Mode::Hang`] right now.
    held: AtomicU64,
    /// Seconds sent in `Retry-After` with a 503.
    retry_after: Option<u64>,
}

impl Shared {
    fn mode(&self) -> Mode {
        Mode::from_u8(self.mode.load(Ordering::SeqCst))
    }

    /// The mode to answer with: waits while the receiver hangs.
    async fn mode_after_hold(&self) -> Mode {
        let mut hold: Option<HeldGuard<'_>> = None;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let mode = self.mode();
            if mode != Mode::Hang {
                drop(hold);
                return mode;
            }
            if hold.is_none() {
                self.held.fetch_add(1, Ordering::SeqCst);
                hold = Some(HeldGuard(&self.held));
            }
            notified.await;
        }
    }
}

/// Counts a held request out when it ends, also when the sender gives up and the request's
/// future is dropped.
struct HeldGuard<'a>(&'a AtomicU64);

impl Drop for HeldGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A running receiver; dropping it stops accepting connections and releases held requests.
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    accept: tokio::task::JoinHandle<()>,
}

impl Receiver {
    pub async fn start(
        mode: Mode,
        capacity: usize,
        retry_after: Option<u64>,
    ) -> std::io::Result<Receiver> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            mode: AtomicU8::new(mode as u8),
            changed: Notify::new(),
            arrivals: Arc::new(Mutex::new(HashMap::with_capacity(capacity))),
            requests: AtomicU64::new(0),
            held: AtomicU64::new(0),
            retry_after,
        });
        let accept = tokio::spawn(serve(listener, shared.clone()));
        Ok(Receiver {
            addr,
            shared,
            accept,
        })
    }

    /// The URL of endpoint number `n` on this receiver.
    pub fn url(&self, n: usize) -> String {
        format!("http://{}/ep/{n}", self.addr)
    }

    pub fn arrivals(&self) -> Arrivals {
        self.shared.arrivals.clone()
    }

    /// Distinct (message, endpoint) pairs that arrived.
    pub fn arrived(&self) -> usize {
        self.shared.arrivals.lock().map(|a| a.len()).unwrap_or(0)
    }

    pub fn set_mode(&self, mode: Mode) {
        self.shared.mode.store(mode as u8, Ordering::SeqCst);
        self.shared.changed.notify_waiters();
    }

    /// Requests that reached the receiver, answered or not (a refused connection counts as one).
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::SeqCst)
    }

    /// Requests held unanswered right now.
    pub fn held(&self) -> u64 {
        self.shared.held.load(Ordering::SeqCst)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.accept.abort();
        // Held requests end with a closed connection rather than waiting for the sender's timeout.
        self.set_mode(Mode::Refuse);
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        if shared.mode() == Mode::Refuse {
            // The send this connection was for counts as a request that reached the receiver.
            shared.requests.fetch_add(1, Ordering::SeqCst);
            drop(stream);
            continue;
        }
        let shared = shared.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                let shared = shared.clone();
                async move { answer(&shared, req).await }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

async fn answer(
    shared: &Shared,
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, std::io::Error> {
    let start = Instant::now();
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let id = req
        .headers()
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let ep = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(0);
    let _ = http_body_util::BodyExt::collect(req.into_body()).await;
    let held = shared.mode() == Mode::Hang;
    match shared.mode_after_hold().await {
        Mode::Answer | Mode::Hang => {
            // A request that was held arrives when it is answered.
            let at = if held { Instant::now() } else { start };
            if let Ok(mut a) = shared.arrivals.lock() {
                let entry = a.entry((id, ep)).or_insert((0, at));
                entry.0 += 1;
            }
            Ok(hyper::Response::new(Full::new(Bytes::from_static(b"ok"))))
        }
        Mode::Unavailable => {
            let mut resp = hyper::Response::new(Full::new(Bytes::from_static(b"unavailable")));
            *resp.status_mut() = hyper::StatusCode::SERVICE_UNAVAILABLE;
            if let Some(secs) = shared.retry_after {
                if let Ok(v) = hyper::header::HeaderValue::from_str(&secs.to_string()) {
                    resp.headers_mut().insert(hyper::header::RETRY_AFTER, v);
                }
            }
            Ok(resp)
        }
        // An error from the service makes hyper close the connection without an answer.
        Mode::Refuse => Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "the receiver refuses",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    async fn post(
        rx: &Receiver,
        id: &str,
        timeout: Duration,
    ) -> reqwest::Result<reqwest::Response> {
        reqwest::Client::builder()
            .timeout(timeout)
            .build()?
            .post(rx.url(0))
            .header("webhook-id", id)
            .body("{}")
            .send()
            .await
    }

    async fn eventually(check: impl Fn() -> bool) -> bool {
        for _ in 0..200 {
            if check() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    #[tokio::test]
    async fn answers_records_and_switches_modes() {
        let rx = Receiver::start(Mode::Answer, 4, Some(7)).await.unwrap();
        let r = post(&rx, "m1", Duration::from_secs(5)).await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(rx.arrived(), 1);

        rx.set_mode(Mode::Unavailable);
        let r = post(&rx, "m2", Duration::from_secs(5)).await.unwrap();
        assert_eq!(r.status(), 503);
        assert_eq!(r.headers()["retry-after"], "7");
        assert_eq!(rx.arrived(), 1, "a 503 is no arrival");

        rx.set_mode(Mode::Refuse);
        assert!(post(&rx, "m3", Duration::from_secs(5)).await.is_err());
        assert_eq!(rx.arrived(), 1);

        rx.set_mode(Mode::Answer);
        let r = post(&rx, "m1", Duration::from_secs(5)).await.unwrap();
        assert_eq!(r.status(), 200);
        let count = rx.arrivals().lock().unwrap()[&("m1".to_owned(), 0)].0;
        assert_eq!(
            count, 2,
            "a second arrival of the same message is a duplicate"
        );
        assert_eq!(rx.requests(), 4, "a refused connection counts as a request");
    }

    #[tokio::test]
    async fn a_hanging_receiver_holds_until_the_sender_gives_up_or_the_mode_changes() {
        let rx = Receiver::start(Mode::Hang, 4, None).await.unwrap();
        // The sender's timeout ends the request; the receiver counts it out.
        assert!(post(&rx, "h1", Duration::from_millis(300)).await.is_err());
        assert!(eventually(|| rx.held() == 0).await, "held {}", rx.held());
        assert_eq!(rx.arrived(), 0);

        // A held request is answered by the mode the receiver switches to.
        let rx = Arc::new(rx);
        let sender = {
            let rx = rx.clone();
            tokio::spawn(async move { post(&rx, "h2", Duration::from_secs(10)).await })
        };
        assert!(eventually(|| rx.held() == 1).await);
        rx.set_mode(Mode::Answer);
        let r = sender.await.unwrap().unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(rx.held(), 0);
        assert_eq!(rx.arrived(), 1);
    }
}
