//! Diagnostics through `tracing` to a daily-rotating file in the data directory, never
//! to the terminal (the console owns the screen).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};

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

/// How many daily files are kept.
const KEEP_FILES: usize = 14;

/// Log lines that may wait for the writer thread.
const LOG_LINES_BUFFERED: usize = 1024;

/// Starts file logging; keep the guard alive until exit so the last lines are written.
/// Failing to log is never fatal: the desk keeps working without a log file.
pub fn init(verbose: bool) -> Option<WorkerGuard> {
    let dir = log_dir();
    owner_only_dir(&dir, std::env::var_os("DUTY_DESK_LOG_DIR").is_none()).ok()?;
    // the default channel holds 128,000 lines and is written through at start-up (several
    // MB of page faults, a fifth of a short command's run, issue 18); the desk logs a few
    // lines a minute, so a small channel is plenty (lines beyond it are dropped, as before)
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(LOG_LINES_BUFFERED)
        .finish(DailyFile::new(dir));
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

/// Creates the log folder owner-only (0700). A folder that already exists is tightened only
/// when it is our own default one: a folder named by `DUTY_DESK_LOG_DIR` may be shared.
fn owner_only_dir(dir: &Path, ours: bool) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    #[cfg(unix)]
    if ours {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir)?;
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    #[cfg(not(unix))]
    let _ = ours;
    Ok(())
}

/// Opens (appending) or creates a log file readable by its owner only, whatever the umask:
/// diagnostics may name operators and places.
fn open_owner_only(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let file = opts.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // a file from an older version, made under the umask
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// `duty-desk.YYYY-MM-DD.log` (UTC day, the names tracing-appender's daily files had),
/// a new file each day, the oldest beyond [`KEEP_FILES`] removed; every file 0600.
struct DailyFile {
    dir: PathBuf,
    open: Option<(NaiveDate, File)>,
}

impl DailyFile {
    fn new(dir: PathBuf) -> DailyFile {
        DailyFile { dir, open: None }
    }

    fn file(&mut self) -> std::io::Result<&mut File> {
        let today = Utc::now().date_naive();
        if self.open.as_ref().is_none_or(|(day, _)| *day != today) {
            let path = self
                .dir
                .join(format!("duty-desk.{}.log", today.format("%Y-%m-%d")));
            self.open = Some((today, open_owner_only(&path)?));
            prune(&self.dir);
        }
        match &mut self.open {
            Some((_, f)) => Ok(f),
            None => Err(std::io::Error::other("log file not open")),
        }
    }
}

impl Write for DailyFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.open {
            Some((_, f)) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Removes the oldest daily files beyond [`KEEP_FILES`] (best effort).
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("duty-desk.") && n.ends_with(".log"))
        .collect();
    names.sort();
    let extra = names.len().saturating_sub(KEEP_FILES);
    for n in names.iter().take(extra) {
        let _ = std::fs::remove_file(dir.join(n));
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn log_files_and_their_folder_are_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/logs");
        owner_only_dir(&dir, true).unwrap();
        assert_eq!(mode(&dir), 0o700);
        // an old file made under a permissive umask is tightened when reopened
        let old = dir.join(format!(
            "duty-desk.{}.log",
            Utc::now().date_naive().format("%Y-%m-%d")
        ));
        std::fs::write(&old, b"old line\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut w = DailyFile::new(dir.clone());
        w.write_all(b"a line\n").unwrap();
        w.flush().unwrap();
        assert_eq!(mode(&old), 0o600);
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "old line\na line\n");
        // a shared folder named by the user keeps its mode; our files in it are 0600
        let shared = tmp.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
        owner_only_dir(&shared, false).unwrap();
        assert_eq!(mode(&shared), 0o755);
        let mut w = DailyFile::new(shared.clone());
        w.write_all(b"x\n").unwrap();
        for e in std::fs::read_dir(&shared).unwrap() {
            assert_eq!(mode(&e.unwrap().path()), 0o600);
        }
    }

    #[test]
    fn only_the_newest_daily_files_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        for day in 1..=20 {
            std::fs::write(
                tmp.path().join(format!("duty-desk.2026-01-{day:02}.log")),
                b"",
            )
            .unwrap();
        }
        std::fs::write(tmp.path().join("other.txt"), b"").unwrap();
        prune(tmp.path());
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left.len(), KEEP_FILES + 1);
        assert_eq!(left[0], "duty-desk.2026-01-07.log");
        assert!(left.contains(&"other.txt".to_string()));
    }
}
