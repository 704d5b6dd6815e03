//! The command line: `herald serve` (the default), `herald migrate`, `herald api-key create`,
//! `herald user create`, `herald catalogue`. The load test is a binary of its own,
//! `herald-bench` (server/src/bin/herald-bench.rs), so the shipped binary cannot empty a database.

use crate::config::Config;
use crate::startup::{open_state, shutdown_signal, Application};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "Herald: webhook delivery with a portal.\n\nConfiguration comes from ./herald.toml (or the file HERALD_CONFIG names) and HERALD_* environment variables, which win: HERALD_BIND, HERALD_DATABASE_URL, HERALD_BASE_URL, HERALD_BOOTSTRAP_API_KEY, HERALD_ALLOW_PRIVATE_NETWORKS, HERALD_RETRY_SCHEDULE, HERALD_REQUEST_TIMEOUT, HERALD_ENV, HERALD_SECRETS_KEY, HERALD_DATA_DIR, HERALD_AUTO_DISABLE_AFTER, HERALD_DELIVERY_ENABLED, HERALD_WORKER_CONCURRENCY, HERALD_PORTAL_LINK_TTL, HERALD_EMBED_ORIGINS, HERALD_MAINTENANCE_INTERVAL, HERALD_PLAN_WINDOW, HERALD_SMTP_URL, HERALD_MAIL_FROM, HERALD_PORTAL_NAME, HERALD_PORTAL_LOGO_URL, HERALD_PORTAL_ACCENT_COLOR, HERALD_PORTAL_THEME, HERALD_PORTAL_UPGRADE_URL, HERALD_PORTAL_LOCALE."
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

/// Runs one command of the command line.
pub async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config).await?;
            app.run_until(shutdown_signal()).await
        }
        Command::Migrate => {
            open_state(&config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::ApiKey(ApiKeyCommand::Create { name }) => {
            let state = open_state(&config).await?;
            let (rec, key) = herald_app::ssr::store::api_keys::create(&state.db, &name, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{key}");
            eprintln!(
                "created API key {} ({}); it is shown only this once",
                rec.id, rec.name
            );
            Ok(())
        }
        Command::User(UserCommand::Create {
            email,
            password,
            tenant,
            permission,
            operator,
        }) => {
            use herald_app::ssr::{store::applications, store::users};
            let state = open_state(&config).await?;
            let fail = |e: herald_app::ssr::ServiceError| anyhow::anyhow!("{e}");
            let membership = match (tenant, permission) {
                (Some(t), Some(p)) => Some((
                    applications::resolve(&state.db, &t)
                        .await
                        .map_err(|_| anyhow::anyhow!("--tenant: no application '{t}'"))?,
                    users::Permission::parse(&p).map_err(fail)?,
                )),
                _ => None,
            };
            let user = users::create(
                &state.db,
                users::NewUser {
                    email: users::Email::parse(&email).map_err(fail)?,
                    password: users::Password::new_password(&password).map_err(fail)?,
                    operator,
                    membership,
                },
            )
            .await
            .map_err(fail)?;
            println!("{}", user.id);
            eprintln!("created user {} ({})", user.id, user.email);
            Ok(())
        }
        Command::Catalogue(CatalogueCommand::Import { file }) => {
            use herald_app::ssr::domain::{audit, catalogue};
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| anyhow::anyhow!("{}: cannot read ({e})", file.display()))?
            };
            let state = open_state(&config).await?;
            let source = file.display().to_string();
            let done = catalogue::import(
                &state.db,
                &audit::COMMAND_LINE,
                catalogue::Source::CommandLine { file: &source },
                &text,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{source}: {e}"))?;
            println!(
                "imported {}: {} created, {} updated",
                file.display(),
                done.created,
                done.updated
            );
            Ok(())
        }
        Command::Catalogue(CatalogueCommand::Export) => {
            let state = open_state(&config).await?;
            let text = herald_app::ssr::domain::catalogue::export(&state.db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{text}");
            Ok(())
        }
    }
}
