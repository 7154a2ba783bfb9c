//! Diagnostics through `tracing` to a daily-rotating file in the data directory, never
//! to the terminal (the console owns the screen).

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Where log files go: `logs/` in the platform data directory (or `DUTY_DESK_LOG_DIR`).
pub fn log_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("DUTY_DESK_LOG_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "duty-desk")
        .map(|d| d.data_dir().join("logs"))
        .unwrap_or_else(|| std::env::temp_dir().join("duty-desk-logs"))
}

/// Starts file logging; keep the guard alive until exit so the last lines are written.
/// Failing to log is never fatal: the desk keeps working without a log file.
pub fn init(verbose: bool) -> Option<WorkerGuard> {
    let dir = log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("duty-desk")
        .filename_suffix("log")
        .max_log_files(14)
        .build(&dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let default = if verbose { "debug" } else { "info" };
    let filter =
        EnvFilter::try_from_env("DUTY_DESK_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
