use clap::Parser;
use herald::cli::{ApiKeyCommand, Cli, Command};
use herald::config::Config;
use herald::startup::{open_state, shutdown_signal, Application};
use std::process::ExitCode;

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
            let (rec, key) = herald_app::ssr::services::api_keys::create(&state.db, &name, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{key}");
            eprintln!(
                "created API key {} ({}); it is shown only this once",
                rec.id, rec.name
            );
            Ok(())
        }
        Command::Bench(args) => herald::bench::run(args).await,
    }
}
