//! The event loop: reads keys, mouse, resizes, clock ticks and store messages, runs
//! `update`, carries out effects and redraws. The terminal is restored on every exit path.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{Event, EventStream};
use futures_core::Stream;
use ratatui::Terminal;
use ratatui::backend::Backend;

use super::actor::{self, Request, StoreHandle};
use super::{Action, Effect, Model, update};
use crate::domain::time::Clock;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::town;

/// The console's error: whatever stopped it, already worded for the operator where it
/// can be (the CLI prints it as it is).
pub type ConsoleError = Box<dyn std::error::Error + Send + Sync>;

/// What the console needs to start.
#[derive(Debug, Clone)]
pub struct ConsoleOptions {
    /// Database file.
    pub db: PathBuf,
    /// Language.
    pub lang: Lang,
    /// Who is at the keyboard.
    pub operator: String,
    /// The clock.
    pub clock: Clock,
    /// Theme, key set and refresh interval from the settings file.
    pub settings: crate::config::Config,
}

/// Opens the console on a database and runs until the operator quits.
pub fn run_console(opts: ConsoleOptions) -> Result<(), ConsoleError> {
    let store = Store::open(&opts.db)?;
    let town = Arc::new(town::load(store.conn())?);
    drop(store);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // without a terminal (a script, a cron job, a pipe) there is nothing to draw on: say
    // so plainly instead of the panic `ratatui::init` would give
    use std::io::IsTerminal;
    let lang = opts.lang;
    let no_terminal = move |detail: String| {
        ConsoleError::from(
            crate::i18n::Msg::new("err.needs_terminal")
                .arg("detail", detail)
                .render(lang),
        )
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(no_terminal("stdin/stdout".to_string()));
    }
    rt.block_on(async move {
        let mut terminal = ratatui::try_init().map_err(|e| no_terminal(e.to_string()))?;
        install_mouse_restoring_hook();
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::EnableMouseCapture,
            crossterm::event::EnableBracketedPaste
        );
        let result = event_loop(&mut terminal, opts, town).await;
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::DisableBracketedPaste,
            crossterm::event::DisableMouseCapture
        );
        ratatui::restore();
        result
    })
}

fn install_mouse_restoring_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = crossterm::execute!(
            std::io::stdout(),
            crossterm::event::DisableBracketedPaste,
            crossterm::event::DisableMouseCapture
        );
        previous(info);
    }));
}

/// The next terminal event: crossterm's `EventStream` is a `futures_core::Stream`, polled
/// here without the `futures` crate's `StreamExt`.
async fn next_event(events: &mut EventStream) -> Option<std::io::Result<Event>> {
    std::future::poll_fn(|cx| std::pin::Pin::new(&mut *events).poll_next(cx)).await
}

fn map_event(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) => Some(Action::Key(k)),
        // mere pointer movement changes nothing: no redraw for it (slow links)
        Event::Mouse(m) if m.kind == crossterm::event::MouseEventKind::Moved => None,
        Event::Mouse(m) => Some(Action::Mouse(m)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Paste(s) => Some(Action::Paste(s)),
        _ => None,
    }
}

/// How often a console looks for alerts owed a delivery.
const DELIVERY_INTERVAL: std::time::Duration = std::time::Duration::from_secs(2);

/// Starts the console's alert delivery on a thread and a connection of its own (a hook
/// may take seconds; neither the UI nor the store thread waits on it). A watcher may run
/// beside it: each alert is claimed in the database before its hook runs.
fn spawn_delivery(opts: &ConsoleOptions) {
    if opts.settings.alerts.command.is_empty() {
        return;
    }
    let (db, hook, clock) = (opts.db.clone(), opts.settings.alerts.clone(), opts.clock);
    let who = crate::watch::process_name("console");
    let spawned = std::thread::Builder::new()
        .name("alert-delivery".into())
        .spawn(move || {
            let mut store: Option<crate::store::Store> = None;
            loop {
                if store.is_none() {
                    store = crate::store::Store::open(&db)
                        .map(|mut s| {
                            s.use_clock(clock);
                            s
                        })
                        .map_err(|e| tracing::warn!("alert delivery: {e}"))
                        .ok();
                }
                if let Some(s) = store.as_mut() {
                    let done = crate::store::town::load(s.conn())
                        .and_then(|town| crate::watch::deliver_due(s, &town, &hook, clock, &who));
                    if let Err(e) = done {
                        tracing::warn!("alert delivery: {e}");
                        store = None;
                    }
                }
                std::thread::sleep(DELIVERY_INTERVAL);
            }
        });
    if let Err(e) = spawned {
        tracing::error!("cannot start alert delivery: {e}");
    }
}

async fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    opts: ConsoleOptions,
    town: Arc<crate::domain::town::Town>,
) -> Result<(), ConsoleError>
where
    B::Error: Send + Sync + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    actor::set_poll_interval(std::time::Duration::from_millis(opts.settings.refresh_ms));
    let handle = actor::spawn(opts.db.clone(), town.clone(), opts.clock, tx);
    spawn_delivery(&opts);
    let mut model = Model::new(opts.lang, town, opts.operator.clone(), opts.clock.now());
    model.theme = crate::ui::theme::Theme::from_env(opts.settings.theme);
    model.keys = opts.settings.keys;
    handle.send(Request::Reload(model.view));
    // who is at the keyboard: the chooser, or the named person's PIN (if they have one);
    // a named person is looked up before the first key, so no key waits on the answer
    if !model.town.staff.is_empty() {
        let preset = (!opts.operator.trim().is_empty()).then(|| opts.operator.trim().to_string());
        let known = preset
            .as_deref()
            .and_then(|name| preset_login(&opts.db, name, opts.clock));
        for effect in super::login::begin(&mut model, preset.as_deref(), known) {
            run_effect(&handle, &model, effect);
        }
    }
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    let mut dirty = true;
    loop {
        if dirty {
            draw(terminal, &model)?;
            dirty = false;
        }
        let action = tokio::select! {
            ev = next_event(&mut events) => match ev {
                Some(Ok(ev)) => map_event(ev),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            a = rx.recv() => a,
            _ = tick.tick() => Some(Action::Tick(opts.clock.now())),
        };
        let Some(action) = action else { continue };
        dirty = true;
        for effect in update(&mut model, action) {
            run_effect(&handle, &model, effect);
        }
        if model.quit {
            return Ok(());
        }
    }
}

/// Whether a person named on the command line needs a PIN; their login is audited when not.
fn preset_login(
    db: &std::path::Path,
    name: &str,
    clock: Clock,
) -> Option<crate::store::staff::Login> {
    use crate::store::staff::{Login, login, record_login};
    let mut store = Store::open(db).ok()?;
    store.use_clock(clock);
    let outcome = login(store.conn(), name, None).ok()?;
    if outcome == Login::Accepted {
        let ctx = crate::store::Ctx {
            operator: name.to_string(),
            now: clock.now(),
        };
        if let Err(e) = store.write(&ctx, record_login) {
            tracing::warn!("login audit for {name}: {e}");
        }
    }
    Some(outcome)
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, model: &Model) -> Result<(), ConsoleError>
where
    B::Error: Send + Sync + 'static,
{
    // synchronized updates keep a slow link from showing half-drawn frames
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::BeginSynchronizedUpdate
    );
    terminal.draw(|f| crate::ui::draw(f, model))?;
    let _ = crossterm::execute!(
        std::io::stdout(),
        crossterm::terminal::EndSynchronizedUpdate
    );
    Ok(())
}

fn run_effect(handle: &StoreHandle, model: &Model, effect: Effect) {
    match effect {
        Effect::Reload(view) => handle.send(Request::Reload(view)),
        Effect::Write(cmd, view) => handle.send(Request::Write(cmd, view, model.operator.clone())),
        Effect::Bell => {
            let mut out = std::io::stdout();
            let _ = out.write_all(b"\x07");
            let _ = out.flush();
        }
        Effect::Notify { summary, body } => crate::notify::send(summary, body),
        Effect::Login { name, pin } => handle.send(Request::Login(name, pin)),
        Effect::Quit => {}
    }
}
