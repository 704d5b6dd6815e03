use clap::Parser;
use herald::cli::Cli;
use herald::config::Config;
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
    match herald::cli::run(cli, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("herald: {e:#}");
            ExitCode::FAILURE
        }
    }
}
