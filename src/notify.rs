//! Desktop notifications: best effort, never on the UI task, never longer than 2 s of
//! anyone's time. Without a session bus the console says so once, in its log file.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How long a notification may take before it is given up on.
pub const TIMEOUT: Duration = Duration::from_secs(2);

static ENABLED: AtomicBool = AtomicBool::new(true);
static NO_BUS: Once = Once::new();

/// Turns desktop notifications on or off (flag, town file, config).
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// True when a session bus is advertised in the environment.
pub fn session_bus_available() -> bool {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

/// Sends a notification from a helper thread and returns at once.
pub fn send(summary: String, body: String) {
    if !ENABLED.load(Ordering::Relaxed) {
        return;
    }
    if !session_bus_available() {
        NO_BUS.call_once(|| tracing::info!("no D-Bus session bus: desktop notifications are off"));
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("notify".into())
        .spawn(move || {
            let (tx, rx) = std::sync::mpsc::channel();
            let worker = std::thread::Builder::new()
                .name("notify-send".into())
                .spawn(move || {
                    let r = notify_rust::Notification::new()
                        .appname("duty-desk")
                        .summary(&summary)
                        .body(&body)
                        .timeout(notify_rust::Timeout::Milliseconds(10_000))
                        .show()
                        .map(|_| ());
                    let _ = tx.send(r);
                });
            if worker.is_err() {
                return;
            }
            match rx.recv_timeout(TIMEOUT) {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::info!("desktop notification failed: {e}"),
                Err(_) => tracing::info!("desktop notification timed out after {TIMEOUT:?}"),
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot start notification thread: {e}");
    }
}

/// Sends a notification and waits for it (at most [`TIMEOUT`]); for tests and `--check`.
pub fn send_blocking(summary: &str, body: &str) -> Result<(), String> {
    if !session_bus_available() {
        return Err("no session bus".into());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let summary = summary.to_string();
    let body = body.to_string();
    std::thread::spawn(move || {
        let r = notify_rust::Notification::new()
            .appname("duty-desk")
            .summary(&summary)
            .body(&body)
            .show()
            .map(|_| ())
            .map_err(|e| e.to_string());
        let _ = tx.send(r);
    });
    rx.recv_timeout(TIMEOUT)
        .map_err(|_| "timed out".to_string())?
}
