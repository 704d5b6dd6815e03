use clap::Parser;
use herald::cli::{ApiKeyCommand, CatalogueCommand, Cli, Command, UserCommand};
use herald::config::Config;
use herald::startup::{open_state, shutdown_signal, Application};
use std::process::ExitCode;

// glibc's malloc took about 14% of CPU under delivery load (BENCHMARKS.md); every request, row
// and delivery allocates, and mimalloc's per-thread free lists are much cheaper.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("herald: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    herald::telemetry::init(config.log_format);
    match run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("herald: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, config: Config) -> anyhow::Result<()> {
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
            let text = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())?
            } else {
                std::fs::read_to_string(&file)
                    .map_err(|e| anyhow::anyhow!("{}: cannot read ({e})", file.display()))?
            };
            let state = open_state(&config).await?;
            let done = herald_app::ssr::domain::catalogue::import(&state.db, &text)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            herald_app::ssr::store::audit::record(
                &state.db,
                &herald_app::ssr::store::audit::Actor::System,
                None,
                "catalogue.imported",
                Some(&file.display().to_string()),
                serde_json::json!({ "created": done.created, "updated": done.updated, "via": "command line" }),
            )
            .await;
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
