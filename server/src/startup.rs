//! Building and running the application. `Application::build` binds first (port 0 works), so
//! tests start the real server and learn its address before it runs.

use crate::api::{self, ApiState};
use crate::config::{Config, Env};
use crate::delivery::{Worker, WorkerOptions};
use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::Router;
use herald_app::ssr::infra::crypto::SecretsKey;
use herald_app::ssr::infra::db::{Backend, Db};
use herald_app::ssr::{store::api_keys, store::worker};
use herald_app::ssr::{AppState, Settings};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tower::Layer;
use tower_http::normalize_path::NormalizePathLayer;

/// Largest request body: a 1 MiB payload and its envelope.
pub const MAX_BODY_BYTES: usize = 1024 * 1024 + 64 * 1024;

pub struct Application {
    listener: TcpListener,
    pub state: AppState,
    router: Router,
    config: Config,
    worker: Arc<Worker>,
}

/// Opens the database, applies migrations, and loads (or in development creates) the secrets key.
pub async fn open_state(config: &Config) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url).await.with_context(|| {
        format!(
            "HERALD_DATABASE_URL: cannot open the database ({})",
            redact_url(&config.database_url)
        )
    })?;
    db.migrate().await.context("applying database migrations")?;
    let key = secrets_key(config)?;
    let settings = Settings {
        base_url: config.base_url(),
        allow_private_networks: config.allow_private_networks,
        production: config.env == Env::Production,
        retry_schedule: config.retry_schedule.clone(),
        request_timeout: config.request_timeout,
        auto_disable_after: config.auto_disable_after,
        portal_link_ttl: config.portal_link_ttl,
        delivery_enabled: config.delivery_enabled,
        embed_origins: config.embed_origins.clone(),
        plan_window: config.plan_window,
        delivery: config.delivery.clone(),
        scheduling: config.scheduling.clone(),
        branding: config.branding.clone(),
        portal_locale: config.portal_locale,
    };
    let wake = Arc::new(Notify::new());
    let mailer = match (&config.smtp_url, &config.mail_from) {
        (Some(url), Some(from)) => Some(
            herald_app::ssr::infra::mail::Mailer::new(&url.0, from)
                .map_err(|e| anyhow::anyhow!("HERALD_SMTP_URL: {e}"))?,
        ),
        _ => None,
    };
    Ok(AppState {
        mailer,
        ingest: herald_app::ssr::domain::intake::Ingest::start(db.clone(), wake.clone()),
        db,
        key,
        settings: Arc::new(settings),
        wake,
    })
}

fn secrets_key(config: &Config) -> anyhow::Result<SecretsKey> {
    if let Some(k) = &config.secrets_key {
        return SecretsKey::parse(&k.0).map_err(|e| anyhow::anyhow!("HERALD_SECRETS_KEY: {e}"));
    }
    // Development only (production refuses to start without a key): keep one beside the data.
    let path = config.data_dir.join("secrets.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        return SecretsKey::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "HERALD_DATA_DIR: cannot create {}",
            config.data_dir.display()
        )
    })?;
    let text = SecretsKey::generate_text();
    write_private(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a development secrets key");
    SecretsKey::parse(&text).map_err(|e| anyhow::anyhow!("generated key: {e}"))
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(text.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, text)
    }
}

fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        _ => url.to_owned(),
    }
}

pub fn router(state: AppState, site_root: &str, addr: SocketAddr) -> Router {
    let (api_router, openapi) = api::v1::router().split_for_parts();
    let openapi = Arc::new(openapi);
    let api = api_router
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .route("/api/v1/{*rest}", axum::routing::any(api_not_found))
        .with_state(ApiState::new(state.clone()))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    let site = crate::web::site_router(site_root, addr, state);
    crate::telemetry::http_requests(api.merge(site))
}

async fn api_not_found() -> impl IntoResponse {
    api::error::ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "not_found",
        "no such API path",
    )
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("HERALD_BIND: cannot listen on {}", config.bind))?;
        let addr = listener.local_addr()?;
        let mut config = config;
        if config.base_url.is_none() {
            config.base_url = Some(format!("http://{addr}"));
        }
        let state = open_state(&config).await?;
        if let Some(key) = &config.bootstrap_api_key {
            if !api_keys::exists(&state.db, &key.0).await? {
                api_keys::create(&state.db, "bootstrap", Some(&key.0))
                    .await
                    .map_err(|e| anyhow::anyhow!("HERALD_BOOTSTRAP_API_KEY: {e}"))?;
                tracing::info!("created the bootstrap API key");
            }
        }
        // Serving only: the command line (migrate, catalogue import, …) leaves the catalogue alone.
        let preset = config.delivery.preset;
        if let Some(text) = preset.catalogue() {
            let seeded = herald_app::ssr::domain::catalogue::seed(&state.db, text)
                .await
                .with_context(|| format!("loading the {preset} preset's event catalogue"))?;
            if let Some(n) = seeded {
                tracing::info!(preset = %preset, event_types = n.created, "loaded the preset's event catalogue");
            }
        }
        // Exists from the start, so the operator can give it endpoints before anything fails.
        herald_app::ssr::ops::notifications::operational_app(&state)
            .await
            .map_err(|e| anyhow::anyhow!("creating the operational application: {e}"))?;
        // Built even when this instance does not deliver, so a client that cannot be built
        // (a bad delivery proxy) stops start-up instead of showing up at the first send.
        let owner = format!(
            "{}-{}",
            std::process::id(),
            herald_app::ssr::infra::crypto::random_token(6)
        );
        let worker = Worker::new(
            state.clone(),
            WorkerOptions {
                owner,
                concurrency: config.worker_concurrency,
                proxy: config.delivery_proxy.as_ref().map(|p| p.0.clone()),
            },
        )?;
        let router = router(state.clone(), &config.site_root, addr);
        Ok(Application {
            listener,
            state,
            router,
            config,
            worker,
        })
    }

    /// The delivery worker, for driving it by hand (tests drain it until nothing is due).
    pub fn worker(&self) -> Arc<Worker> {
        self.worker.clone()
    }

    pub fn address(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.config.bind)
    }

    /// Serves until `shutdown` resolves; then stops taking requests, lets workers finish or
    /// release their leases, and returns.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let mut tasks = Vec::new();
        if self.config.delivery_enabled {
            if self.state.db.backend == Backend::Sqlite {
                // Embedded mode is one node: leases left by a dead process are released at once.
                let n = worker::release_all_leases(&self.state.db).await?;
                if n > 0 {
                    tracing::info!(
                        deliveries = n,
                        "reclaimed deliveries leased by a previous process"
                    );
                }
            } else {
                tasks.push(tokio::spawn(listen_for_work(
                    self.state.clone(),
                    stop_rx.clone(),
                )));
            }
            tasks.push(tokio::spawn(self.worker.clone().run(stop_rx.clone())));
        }
        tasks.push(tokio::spawn(herald_app::ssr::ops::upkeep::run(
            self.state.clone(),
            self.config.maintenance_interval,
            stop_rx.clone(),
        )));
        let address = self.address();
        let app = NormalizePathLayer::trim_trailing_slash().layer(self.router);
        let service = axum::ServiceExt::<axum::extract::Request>::into_make_service(app);
        tracing::info!(address = %address, "listening");
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await?;
        let _ = stop_tx.send(true);
        for t in tasks {
            let _ = t.await;
        }
        Ok(())
    }
}

/// PostgreSQL: other instances' NOTIFY wakes this instance's workers.
async fn listen_for_work(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        let mut listener = match sqlx::postgres::PgListener::connect(&state.db.url).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "LISTEN connection failed; workers poll meanwhile");
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => continue,
                    _ = stop.changed() => return,
                }
            }
        };
        if let Err(e) = listener.listen("herald_work").await {
            tracing::warn!(error = %e, "LISTEN failed");
            continue;
        }
        loop {
            tokio::select! {
                n = listener.recv() => match n {
                    Ok(_) => state.wake.notify_one(),
                    Err(e) => {
                        tracing::warn!(error = %e, "LISTEN connection lost");
                        break;
                    }
                },
                _ = stop.changed() => return,
            }
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}
