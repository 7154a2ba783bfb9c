//! Alerts without a console (issue 14): one pass runs the rules, deadlines, re-alerts
//! and raises (`store::rules`, which also records the alert events), then delivers every
//! alert owed a delivery through the settings' hook. `duty-desk watch` runs passes in a
//! loop (one per database: [`WatchLock`]); consoles run [`deliver_due`] on a thread of
//! their own. Deliveries are claimed in the database first, so whoever runs them, each
//! alert's hook runs once per attempt.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::AlertSettings;
use crate::domain::time::Clock;
use crate::domain::town::Town;
use crate::store::rules::{self, Marks};
use crate::store::{Ctx, Result, Store, alerts};

/// Most deliveries tried in one pass (a backlog is worked through over later passes).
const MAX_PER_PASS: usize = 200;

/// How much of a failing hook's standard error is kept as its error.
const ERROR_MAX: usize = 300;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Alert records made.
    pub noticed: usize,
    /// Alerts the hook took.
    pub delivered: usize,
    /// Attempts that failed (retried later, for an hour).
    pub failed: usize,
}

/// Who this process is, on claims and in the audit.
pub fn process_name(kind: &str) -> String {
    format!("{kind}:{}", std::process::id())
}

/// One pass: the rules at the clock's now, then the deliveries owed.
pub fn pass(
    store: &mut Store,
    town: &Town,
    hook: &AlertSettings,
    clock: Clock,
    who: &str,
) -> Result<PassReport> {
    let ctx = Ctx {
        operator: who.to_string(),
        now: clock.now(),
    };
    let out = rules::run(store, town, &ctx, Marks::Yes)?;
    let (delivered, failed) = deliver_due(store, town, hook, clock, who)?;
    Ok(PassReport {
        noticed: out.alerts.len(),
        delivered,
        failed,
    })
}

/// Delivers every alert owed an attempt now; returns (delivered, failed). Does nothing
/// when no hook is configured.
pub fn deliver_due(
    store: &mut Store,
    town: &Town,
    hook: &AlertSettings,
    clock: Clock,
    who: &str,
) -> Result<(usize, usize)> {
    let (mut ok, mut failed) = (0, 0);
    if hook.command.is_empty() {
        return Ok((ok, failed));
    }
    for _ in 0..MAX_PER_PASS {
        let ctx = Ctx {
            operator: who.to_string(),
            now: clock.now(),
        };
        let Some(c) = alerts::claim(store, town, &ctx, who)? else {
            break;
        };
        let input = serde_json::to_vec(&c.payload).unwrap_or_default();
        let outcome = run_hook(
            &hook.command,
            &input,
            Duration::from_secs(hook.timeout_secs),
        );
        match &outcome {
            Ok(()) => ok += 1,
            Err(e) => {
                tracing::warn!(alert = c.id, "alert hook failed: {e}");
                failed += 1;
            }
        }
        let ctx = Ctx {
            operator: who.to_string(),
            now: clock.now(),
        };
        alerts::finish(store, &ctx, who, c.id, outcome)?;
    }
    Ok((ok, failed))
}

/// Runs the hook once with `input` on its standard input: `Ok` when it exits 0 within
/// `timeout`; otherwise the reason (exit status and the start of its standard error, or
/// the timeout, after which it is killed).
pub fn run_hook(
    command: &[String],
    input: &[u8],
    timeout: Duration,
) -> std::result::Result<(), String> {
    let Some((program, args)) = command.split_first() else {
        return Err("no command".to_string());
    };
    // the input is handed over as a file, not a pipe: a hook that exits without reading
    // it can then never send this process SIGPIPE (which the binary does not ignore, so
    // that `| head` ends quietly), nor block it
    let mut file = tempfile::tempfile().map_err(|e| format!("cannot buffer the alert: {e}"))?;
    file.write_all(input)
        .and_then(|_| file.seek(SeekFrom::Start(0)))
        .map_err(|e| format!("cannot buffer the alert: {e}"))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::from(file))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!(
                "cannot run {}: {e}",
                crate::domain::text::quote(program, 80)
            )
        })?;
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(mut stderr) = child.stderr.take() {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = (&mut stderr).take(4096).read_to_end(&mut buf);
            let _ = tx.send(buf);
            // keep draining so the hook never blocks on a full pipe
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        });
    }
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s, killed", timeout.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    };
    if status.success() {
        return Ok(());
    }
    let stderr = rx
        .recv_timeout(Duration::from_millis(200))
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let code = status.code().map_or_else(
        || "killed by a signal".to_string(),
        |c| format!("exit status {c}"),
    );
    if stderr.is_empty() {
        Err(code)
    } else {
        Err(format!(
            "{code}: {}",
            crate::domain::text::quote(&stderr, ERROR_MAX)
        ))
    }
}

/// The lock that keeps a database to one watcher: an exclusive lock on a file beside it,
/// held while the watcher runs (the system drops it when the process ends, however).
pub struct WatchLock {
    _file: std::fs::File,
    /// The lock file.
    pub path: PathBuf,
}

/// The lock file of a database.
pub fn lock_path(db: &Path) -> PathBuf {
    crate::store::open::companion(db, ".watch.lock")
}

/// Takes the database's watcher lock; `Ok(None)` when another watcher holds it.
pub fn lock(db: &Path) -> std::io::Result<Option<WatchLock>> {
    let path = lock_path(db);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(WatchLock { _file: file, path })),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Vec<String> {
        vec!["/bin/sh".into(), "-c".into(), script.into()]
    }

    #[test]
    fn a_hook_that_exits_0_delivers_and_reads_its_input() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("got");
        let cmd = sh(&format!("cat > '{}'", out.display()));
        assert_eq!(
            run_hook(&cmd, b"{\"id\":1}", Duration::from_secs(5)),
            Ok(())
        );
        assert_eq!(std::fs::read_to_string(out).unwrap(), "{\"id\":1}");
    }

    /// A hook that exits before reading its input must not take the process down (the
    /// binary restores SIGPIPE's default; a pipe here killed `watch` in the CLI test).
    #[test]
    fn a_hook_that_ignores_its_input_is_fine() {
        let big = vec![b'x'; 1 << 20];
        assert_eq!(
            run_hook(&sh("exit 0"), &big, Duration::from_secs(5)),
            Ok(())
        );
    }

    #[test]
    fn a_failing_hook_says_why() {
        let e = run_hook(
            &sh("echo gateway down >&2; exit 7"),
            b"{}",
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert_eq!(e, "exit status 7: gateway down");
        let e = run_hook(&["/nonexistent/hook".into()], b"{}", Duration::from_secs(5)).unwrap_err();
        assert!(e.starts_with("cannot run"), "{e}");
    }

    #[test]
    fn a_hook_that_hangs_is_killed_at_its_time() {
        let started = Instant::now();
        let e = run_hook(&sh("exec sleep 30"), b"{}", Duration::from_secs(1)).unwrap_err();
        assert!(e.starts_with("timed out after 1 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_second_watcher_finds_the_lock_held() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("duty.db");
        let first = lock(&db).unwrap();
        assert!(first.is_some());
        assert!(lock(&db).unwrap().is_none(), "held by the first");
        drop(first);
        assert!(lock(&db).unwrap().is_some(), "free again");
    }
}
