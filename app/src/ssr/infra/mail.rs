//! Outgoing email: invitations. Configured with `HERALD_SMTP_URL` (`smtp://host:25`,
//! `smtp://user:pass@host:587?tls=required` for STARTTLS, `smtps://…` for TLS) and
//! `HERALD_MAIL_FROM`. Without them nothing is sent and the portal shows the link to pass on.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt;
use std::time::Duration;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl fmt::Debug for Mailer {
    // The URL may hold the SMTP password: only the sender shows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| format!("'{from}' is not a mail address ({e})"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("not an SMTP URL such as smtp://host:587?tls=required ({e})"))?
            .timeout(Some(Duration::from_secs(10)))
            .build();
        Ok(Mailer { transport, from })
    }

    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
