//! The database handle. One code path serves both backends: queries are written in the SQL both
//! SQLite and PostgreSQL accept (`$n` placeholders, integers for times and flags), and run through
//! sqlx's `Any` driver. Where the dialects must differ (claiming work), callers ask [`Db::backend`].

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    /// Every write goes through this pool. On SQLite it holds one connection: SQLite has one
    /// writer at a time anyway, and queueing in the pool is cheaper than lock retries.
    pub write: AnyPool,
    /// Reads that need not see the caller's own uncommitted writes.
    pub read: AnyPool,
    pub backend: Backend,
    pub url: String,
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(sqlx::Error::Configuration(
                "database url must start with sqlite:// or postgres://".into(),
            ));
        };
        match backend {
            Backend::Sqlite => {
                let url = sqlite_url_with_create(url);
                let opts = AnyConnectOptions::from_str(&url)?;
                let write = sqlite_pool(1).connect_with(opts.clone()).await?;
                let read = sqlite_pool(4).connect_with(opts).await?;
                Ok(Db {
                    write,
                    read,
                    backend,
                    url,
                })
            }
            Backend::Postgres => {
                let opts = AnyConnectOptions::from_str(url)?;
                let pool = AnyPoolOptions::new()
                    .max_connections(24)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await?;
                Ok(Db {
                    write: pool.clone(),
                    read: pool,
                    backend,
                    url: url.to_owned(),
                })
            }
        }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.write).await,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.write).await,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.backend == Backend::Sqlite
    }
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the writer; NORMAL sync is durable across process
                // crashes (the WAL is fsynced at checkpoints), which is what "nothing lost" needs.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                Ok(())
            })
        })
}

/// `sqlite://path` should create the file on first start (zero set-up), and its folder.
fn sqlite_url_with_create(url: &str) -> String {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            let _ = std::fs::create_dir_all(parent);
        }
    }
    if url.contains('?') {
        url.to_owned()
    } else {
        format!("{url}?mode=rwc")
    }
}
