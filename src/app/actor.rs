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
    let Some(mut worker) = Worker::open(&path, town, clock, out) else {
        return;
    };
    loop {
        let mut pass = Pass::default();
        match rx.recv_timeout(poll_interval()) {
            Ok(request) => {
                if worker.answer(request, &mut pass).is_err() {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        // coalesce queued reloads into one read
        while let Ok(request) = rx.try_recv() {
            let _ = worker.answer(request, &mut pass);
        }
        if worker.settle(&mut pass).is_err() {
            return;
        }
    }
}

/// The console is gone (its end of the channel was dropped): the store thread stops.
struct Gone;

/// What one turn of the store thread's loop has seen.
#[derive(Debug, Default)]
struct Pass {
    /// A snapshot is to be read and sent.
    reload: bool,
    /// We wrote: our own commits do not move `data_version`, the rules gate is told of them.
    wrote: bool,
}

/// The store thread's state between turns of its loop.
struct Worker {
    store: Store,
    town: Arc<Town>,
    view: View,
    clock: Clock,
    out: UnboundedSender<Action>,
    last_version: i64,
    last_rules: Option<std::time::Instant>,
    // the periodic pass is skipped while nothing it looks at can have changed
    rules_gate: crate::store::rules::Gate,
    audit_watch: super::audit::Watch,
    // the Key populations call list, read again only when the day or the data changed
    call_list: crate::store::people::CallListCache,
}

impl Worker {
    /// Opens the store; a failure is sent to the console and gives `None`.
    fn open(
        path: &std::path::Path,
        town: Arc<Town>,
        clock: Clock,
        out: UnboundedSender<Action>,
    ) -> Option<Self> {
        let store = match Store::open(path) {
            Ok(mut s) => {
                // writes are stamped after their lock, never before the newest audit time
                s.use_clock(clock);
                s
            }
            Err(e) => {
                let _ = out.send(Action::LoadFailed(e.into()));
                return None;
            }
        };
        let last_version = store.data_version().unwrap_or(0);
        Some(Self {
            store,
            town,
            view: View::default(),
            clock,
            out,
            last_version,
            last_rules: None,
            rules_gate: crate::store::rules::Gate::default(),
            audit_watch: super::audit::Watch::default(),
            call_list: crate::store::people::CallListCache::default(),
        })
    }

    fn send(&self, action: Action) -> Result<(), Gone> {
        self.out.send(action).map_err(|_| Gone)
    }

    /// Answers one request: a reload is only noted (the turn reads once at its end).
    fn answer(&mut self, request: Request, pass: &mut Pass) -> Result<(), Gone> {
        match request {
            Request::Reload(v) => {
                self.view = v;
                pass.reload = true;
                Ok(())
            }
            Request::Write(cmd, v, operator) => {
                self.view = v;
                let ctx = Ctx {
                    operator,
                    now: self.clock.now(),
                };
                let result = apply(&mut self.store, &self.town, &ctx, cmd);
                pass.wrote = true;
                pass.reload = true;
                self.send(Action::WriteDone(result))
            }
            Request::Login(name, pin) => {
                let now = self.clock.now();
                let action = check_login(&mut self.store, name, pin, now);
                self.send(action)
            }
        }
    }

    /// The end of a turn: notices other processes' commits, re-reads the town, runs the
    /// rules when due, then sends a snapshot (after a change) or checks a slice of the
    /// audit chain (between changes).
    fn settle(&mut self, pass: &mut Pass) -> Result<(), Gone> {
        self.note_outside_change(pass);
        // the town changes after init (`town apply`, edits, surge): read again on a change
        if pass.reload {
            match crate::store::town::load(self.store.conn()) {
                Ok(t) => self.town = Arc::new(t),
                Err(e) => tracing::warn!("town reload: {e}"),
            }
        }
        self.run_rules_when_due(pass);
        if pass.reload {
            return self.send_snapshot();
        }
        // between changes, a slice of the periodic re-check of the whole audit chain
        match self.audit_watch.tick(&self.store) {
            Some(action) => self.send(action),
            None => Ok(()),
        }
    }

    /// Another process committed (`PRAGMA data_version` moved): a reload.
    fn note_outside_change(&mut self, pass: &mut Pass) {
        match self.store.data_version() {
            Ok(v) if v != self.last_version => {
                self.last_version = v;
                pass.reload = true;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("data_version: {e}"),
        }
    }

    /// The escalation rules: after every change (ours or another's) and once a second.
    fn run_rules_when_due(&mut self, pass: &mut Pass) {
        if !(pass.reload
            || self
                .last_rules
                .is_none_or(|t| t.elapsed() >= RULES_INTERVAL))
        {
            return;
        }
        self.last_rules = Some(std::time::Instant::now());
        if pass.wrote {
            self.rules_gate.reset();
        }
        let now = self.clock.now();
        if super::escalations::run_rules(&mut self.store, &self.town, now, &mut self.rules_gate) {
            pass.reload = true;
        }
    }

    /// Reads and sends a snapshot for the current view, then the audit chain's check
    /// after the change (incremental).
    fn send_snapshot(&mut self) -> Result<(), Gone> {
        let now = self.clock.now();
        let action = match snapshot::load_cached(
            self.store.conn(),
            self.town.clone(),
            &self.view,
            now,
            &mut self.call_list,
        ) {
            Ok(s) => Action::Loaded(Box::new(s)),
            Err(e) => Action::LoadFailed(e.into()),
        };
        self.send(action)?;
        let check = self.audit_watch.after_reload(&self.store, self.view.audit);
        self.send(check)
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
