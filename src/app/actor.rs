//! The store thread: owns the console's database connection so the UI task never waits on
//! the disk. It answers reloads and writes, and polls `PRAGMA data_version` to notice
//! other processes' commits (an `update_hook` cannot see them).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::{Action, WriteCmd};
use crate::domain::time::Clock;
use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::snapshot::{self, View};
use crate::store::{Ctx, Store};

static POLL_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(200);

/// Sets how often the store thread looks for other processes' writes (settings file).
pub fn set_poll_interval(d: Duration) {
    POLL_MS.store(
        d.as_millis().clamp(50, 60_000) as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
}

fn poll_interval() -> Duration {
    Duration::from_millis(POLL_MS.load(std::sync::atomic::Ordering::Relaxed))
}
/// How often the escalation rules run when nothing else happens (the clock moves on).
pub const RULES_INTERVAL: Duration = Duration::from_secs(1);

/// A request to the store thread.
#[derive(Debug)]
pub enum Request {
    /// Read a snapshot for this view.
    Reload(View),
    /// Make a write as `operator`, then read this view.
    Write(WriteCmd, View, String),
    /// Check a login (name, PIN once asked for).
    Login(String, Option<super::login::Pin>),
}

/// The console's side of the store thread.
pub struct StoreHandle {
    tx: mpsc::Sender<Request>,
}

impl StoreHandle {
    /// Sends a request; if the thread is gone the console will notice on the next read.
    pub fn send(&self, r: Request) {
        let _ = self.tx.send(r);
    }
}

/// Starts the store thread on its own connection to `path`.
pub fn spawn(
    path: PathBuf,
    town: Arc<Town>,
    clock: Clock,
    out: UnboundedSender<Action>,
) -> StoreHandle {
    let (tx, rx) = mpsc::channel::<Request>();
    std::thread::Builder::new()
        .name("store".into())
        .spawn(move || run(path, town, clock, rx, out))
        .map(|_| ())
        .unwrap_or_else(|e| tracing::error!("cannot start store thread: {e}"));
    StoreHandle { tx }
}

fn run(
    path: PathBuf,
    town: Arc<Town>,
    clock: Clock,
    rx: mpsc::Receiver<Request>,
    out: UnboundedSender<Action>,
) {
    let mut store = match Store::open(&path) {
        Ok(mut s) => {
            // writes are stamped after their lock, never before the newest audit time
            s.use_clock(clock);
            s
        }
        Err(e) => {
            let _ = out.send(Action::LoadFailed(e.into()));
            return;
        }
    };
    let mut town = town;
    let mut view = View::default();
    let mut last_version = store.data_version().unwrap_or(0);
    let mut last_rules: Option<std::time::Instant> = None;
    // the periodic pass is skipped while nothing it looks at can have changed
    let mut rules_gate = crate::store::rules::Gate::default();
    let mut audit_watch = super::audit::Watch::default();
    loop {
        let mut reload = false;
        // our own commits do not move `data_version`: the gate is told of them
        let mut wrote = false;
        match rx.recv_timeout(poll_interval()) {
            Ok(Request::Reload(v)) => {
                view = v;
                reload = true;
            }
            Ok(Request::Write(cmd, v, operator)) => {
                view = v;
                let ctx = Ctx {
                    operator,
                    now: clock.now(),
                };
                let result = apply(&mut store, &town, &ctx, cmd);
                wrote = true;
                if out.send(Action::WriteDone(result)).is_err() {
                    return;
                }
                reload = true;
            }
            Ok(Request::Login(name, pin)) => {
                if out
                    .send(check_login(&mut store, name, pin, clock.now()))
                    .is_err()
                {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // coalesce queued reloads into one read
        while let Ok(r) = rx.try_recv() {
            match r {
                Request::Reload(v) => {
                    view = v;
                    reload = true;
                }
                Request::Write(cmd, v, operator) => {
                    view = v;
                    let ctx = Ctx {
                        operator,
                        now: clock.now(),
                    };
                    let result = apply(&mut store, &town, &ctx, cmd);
                    wrote = true;
                    let _ = out.send(Action::WriteDone(result));
                    reload = true;
                }
                Request::Login(name, pin) => {
                    let _ = out.send(check_login(&mut store, name, pin, clock.now()));
                }
            }
        }
        match store.data_version() {
            Ok(v) if v != last_version => {
                last_version = v;
                reload = true;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("data_version: {e}"),
        }
        // the town changes after init (`town apply`, edits, surge): read again on a change
        if reload {
            match crate::store::town::load(store.conn()) {
                Ok(t) => town = Arc::new(t),
                Err(e) => tracing::warn!("town reload: {e}"),
            }
        }
        // the escalation rules: after every change (ours or another's) and once a second
        if reload || last_rules.is_none_or(|t| t.elapsed() >= RULES_INTERVAL) {
            last_rules = Some(std::time::Instant::now());
            if wrote {
                rules_gate.reset();
            }
            if super::escalations::run_rules(&mut store, &town, clock.now(), &mut rules_gate) {
                reload = true;
            }
        }
        // between changes, a slice of the periodic re-check of the whole audit chain
        if !reload
            && let Some(action) = audit_watch.tick(&store)
            && out.send(action).is_err()
        {
            return;
        }
        if reload {
            let action = match snapshot::load_with(store.conn(), town.clone(), &view, clock.now()) {
                Ok(s) => Action::Loaded(Box::new(s)),
                Err(e) => Action::LoadFailed(e.into()),
            };
            if out.send(action).is_err() {
                return;
            }
            // the audit chain, checked after every change (incrementally)
            if out
                .send(audit_watch.after_reload(&store, view.audit))
                .is_err()
            {
                return;
            }
        }
    }
}

/// Checks a login attempt; a store failure reads as "not accepted" and is logged. Who took
/// the keyboard, and when, goes to the audit log.
fn check_login(
    store: &mut Store,
    name: String,
    pin: Option<super::login::Pin>,
    now: chrono::DateTime<chrono::Utc>,
) -> Action {
    let outcome =
        crate::store::staff::login(store.conn(), &name, pin.as_ref().map(|p| p.0.as_str()))
            .unwrap_or_else(|e| {
                tracing::error!("login check for {name}: {e}");
                crate::store::staff::Login::Unknown
            });
    tracing::info!(operator = %name, ?outcome, "login");
    if outcome == crate::store::staff::Login::Accepted {
        let ctx = Ctx {
            operator: name.clone(),
            now,
        };
        if let Err(e) = store.write(&ctx, crate::store::staff::record_login) {
            tracing::warn!("login audit for {name}: {e}");
        }
    }
    Action::LoginChecked(name, outcome)
}

fn apply(store: &mut Store, town: &Town, ctx: &Ctx, cmd: WriteCmd) -> Result<Msg, Msg> {
    // the log names who did what kind of write, never its contents (patients' names)
    tracing::info!(
        operator = %ctx.operator,
        permission = super::access::permission(&cmd).as_str(),
        "console write"
    );
    match cmd {
        WriteCmd::Report(w) => super::report::apply(store, town, ctx, w),
        WriteCmd::Fleet(w) => super::fleet::apply(store, town, ctx, w),
        WriteCmd::Escalations(w) => super::escalations::apply(store, town, ctx, w),
        WriteCmd::Shiftlog(w) => super::shiftlog::apply(store, town, ctx, w),
        WriteCmd::Town(w) => super::town::apply(store, ctx, w),
        WriteCmd::People(w) => super::people::apply(store, town, ctx, w),
    }
}
