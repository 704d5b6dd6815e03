//! The command line: `herald serve` (the default), `herald migrate`, `herald api-key create`,
//! `herald user create`, `herald catalogue`. The load test is a binary of its own,
//! `herald-bench` (server/src/bin/herald-bench.rs), so the shipped binary cannot empty a database.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "Herald: webhook delivery with a portal.\n\nConfiguration comes from ./herald.toml (or the file HERALD_CONFIG names) and HERALD_* environment variables, which win: HERALD_BIND, HERALD_DATABASE_URL, HERALD_BASE_URL, HERALD_BOOTSTRAP_API_KEY, HERALD_ALLOW_PRIVATE_NETWORKS, HERALD_RETRY_SCHEDULE, HERALD_REQUEST_TIMEOUT, HERALD_ENV, HERALD_SECRETS_KEY, HERALD_DATA_DIR, HERALD_AUTO_DISABLE_AFTER, HERALD_DELIVERY_ENABLED, HERALD_WORKER_CONCURRENCY, HERALD_PORTAL_LINK_TTL, HERALD_EMBED_ORIGINS, HERALD_MAINTENANCE_INTERVAL, HERALD_PLAN_WINDOW, HERALD_SMTP_URL, HERALD_MAIL_FROM."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the REST API and the portal, and run the delivery workers (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage API keys.
    #[command(subcommand, name = "api-key")]
    ApiKey(ApiKeyCommand),
    /// Manage portal users (company admins who sign in with a password, and operators).
    #[command(subcommand)]
    User(UserCommand),
    /// Import or export the event catalogue as a JSON catalogue file.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create an API key and print it once (only its hash is stored).
    Create {
        /// A name to recognise the key by.
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Create or replace the event types a catalogue file names ({"eventTypes": [...]}).
    /// A file with a bad entry changes nothing.
    Import {
        /// The catalogue file; `-` reads standard input.
        file: std::path::PathBuf,
    },
    /// Print the whole catalogue, archived event types included, as a catalogue file.
    Export,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user who signs in at /login with an email and a password.
    ///
    /// A company admin needs --tenant and --permission; an operator needs --operator.
    #[command(group(clap::ArgGroup::new("role").required(true).args(["tenant", "operator"])))]
    Create {
        #[arg(long)]
        email: String,
        /// At least 10 characters. Prefer HERALD_USER_PASSWORD in the environment, which keeps
        /// the password out of the shell history and the process list.
        #[arg(long, env = "HERALD_USER_PASSWORD", hide_env_values = true)]
        password: String,
        /// The company (application id or uid) the user administers.
        #[arg(long, requires = "permission")]
        tenant: Option<String>,
        /// integration.read (see), integration.write (see and change) or admin (also manages
        /// the company's users and reads its audit trail).
        #[arg(long, requires = "tenant")]
        permission: Option<String>,
        /// An operator of this deployment, who may open every company's portal.
        #[arg(long)]
        operator: bool,
    },
}
