//! The only place with SQL. Opens connections, runs migrations, and offers one function
//! per use case. Every write goes through [`Store::write`]: one `BEGIN IMMEDIATE`
//! transaction that must also append to the audit log.

pub mod alerts;
pub mod audit;
pub mod escalations;
pub mod facility;
pub mod fleet;
pub mod handover;
pub mod open;
pub mod people;
pub mod reports;
pub mod roster;
pub mod rules;
mod schema;
pub mod session;
pub mod shiftlog;
pub mod snapshot;
pub mod staff;
pub mod town;

use crate::domain::audit_action::AuditAction;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::domain::audit_chain::AuditRow;
use crate::domain::time::{Clock, from_db, to_db};
use crate::i18n::Msg;

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What went wrong in the store, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Bad input: the caller can fix it (exit 2).
    #[error("{0}")]
    Invalid(Msg),
    /// Someone else got there first, or the record is locked (exit 3).
    #[error("{0}")]
    Conflict(Msg),
    /// The operator's role does not allow it (exit 4).
    #[error("{0}")]
    NotPermitted(Msg),
    /// The database itself failed (exit 1).
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The database file is missing, not ours, or from a newer version (exit 1).
    #[error("{0}")]
    Open(Msg),
}

impl StoreError {
    /// The message in `lang`.
    pub fn render(&self, lang: crate::i18n::Lang) -> String {
        match self {
            StoreError::Invalid(m)
            | StoreError::Conflict(m)
            | StoreError::NotPermitted(m)
            | StoreError::Open(m) => m.render(lang),
            StoreError::Sql(e) => sql_msg(e).render(lang),
        }
    }
}

/// A database failure in words: the disk's own troubles (full, read-only, no permission,
/// I/O) named plainly, anything else with SQLite's text.
fn sql_msg(e: &rusqlite::Error) -> Msg {
    open::disk_trouble(e).unwrap_or_else(|| Msg::new("err.database").arg("detail", e))
}

/// Result of store operations.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Who does a write and when: every audit row and log entry carries both.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The operator at the keyboard (or on the command line).
    pub operator: String,
    /// The instant of the action (the fixed clock in drills and tests).
    pub now: DateTime<Utc>,
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Where a write's time comes from, read after its lock is taken; `None`: the
    /// caller's `Ctx.now` as given (seeding history at chosen instants, store tests).
    clock: Option<Clock>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 16 MB of page cache: big imports and county-scale screens stay in memory
    conn.pragma_update(None, "cache_size", -16_000)?;
    Ok(())
}

/// True for SQLite's "busy" and "locked" answers.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// True when a CHECK failure names one of the daily report's figure columns.
fn is_figure_column(text: &str) -> bool {
    crate::domain::report::Field::ALL
        .iter()
        .any(|f| text.contains(f.as_str()))
}

/// Turns the text of our own triggers into messages a person can act on.
fn map_trigger(e: rusqlite::Error) -> StoreError {
    let text = e.to_string();
    if text.contains("duty-desk: day signed") {
        StoreError::Conflict(Msg::new("err.day_signed"))
    } else if text.contains("duty-desk: shift signed") {
        StoreError::Conflict(Msg::new("err.shift_signed"))
    } else if text.contains("duty-desk: audit log is append-only") {
        StoreError::Conflict(Msg::new("err.audit_append_only"))
    } else if text.contains("duty-desk: figure above population")
        || (text.contains("CHECK constraint failed") && is_figure_column(&text))
    {
        StoreError::Invalid(Msg::new("bounds.store_figure"))
    } else if text.contains("duty-desk: population out of range") {
        StoreError::Invalid(Msg::new("bounds.store_population"))
    } else if is_busy(&e) {
        // still locked after BUSY_TIMEOUT: a clear "try again", never "database is locked"
        StoreError::Conflict(Msg::new("err.busy"))
    } else {
        StoreError::Sql(e)
    }
}

/// Creates the (empty) database file readable by its owner only, whatever the umask: it
/// holds patients' names and phone numbers. SQLite gives its WAL and SHM files the same mode.
fn create_owner_only(path: &Path) -> Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            // another process made it between our look and our create: theirs, not ours
            return StoreError::Invalid(Msg::new("err.db_exists").arg("path", path.display()));
        }
        StoreError::Open(
            Msg::new("access.cannot_create")
                .arg("path", path.display())
                .arg("detail", e),
        )
    })?;
    owner_only(path);
    Ok(())
}

/// Sets the database file and its `-wal`/`-shm` companions to 0600 (best effort: a file
/// we do not own keeps its mode, and SQLite still opens it).
fn owner_only(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut files = vec![path.to_path_buf()];
        for suffix in ["-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            files.push(PathBuf::from(p));
        }
        for f in files {
            if let Ok(meta) = std::fs::metadata(&f)
                && meta.permissions().mode() & 0o077 != 0
                && let Err(e) = std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600))
            {
                tracing::warn!("cannot make {} owner-only: {e}", f.display());
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

impl From<StoreError> for Msg {
    fn from(e: StoreError) -> Msg {
        match e {
            StoreError::Invalid(m)
            | StoreError::Conflict(m)
            | StoreError::NotPermitted(m)
            | StoreError::Open(m) => m,
            StoreError::Sql(e) => sql_msg(&e),
        }
    }
}

impl Store {
    /// Opens an existing database for writing, migrating it to the current schema. Looks
    /// at the file first ([`open::probe`]): anything not ours is refused untouched.
    pub fn open(path: &Path) -> Result<Store> {
        let probe = open::probe(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        owner_only(path);
        if probe.version < schema::current_version() {
            // a migration that does not fit the tables (a version number set by hand) is
            // rolled back and told plainly, never as SQLite's text about a CREATE
            schema::migrate(&mut conn).map_err(|e| match e {
                StoreError::Sql(e) if open::disk_trouble(&e).is_none() && !is_busy(&e) => {
                    StoreError::Invalid(
                        Msg::new("open.version_mismatch")
                            .arg("path", path.display())
                            .arg("found", probe.version),
                    )
                }
                other => other,
            })?;
        }
        if !probe.stamped {
            open::stamp(&conn)?;
        }
        Self::with_town(conn, path)
    }

    /// Opens an existing database read-only, for the read commands: never creates,
    /// migrates or stamps it. A database from an older schema is refused with a message
    /// saying how to upgrade it (`duty-desk upgrade`), since reading it with this
    /// program's queries could fail half-way.
    pub fn open_read(path: &Path) -> Result<Store> {
        let probe = open::probe(path)?;
        let current = schema::current_version();
        if probe.version < current {
            return Err(StoreError::Invalid(
                Msg::new("open.needs_upgrade")
                    .arg("path", path.display())
                    .arg("found", probe.version)
                    .arg("current", current),
            ));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // SQLite gives the -wal/-shm a read may create the database file's own mode
        match Self::with_town(conn, path) {
            // a WAL database on a read-only disk (a backup, a mounted copy): its -shm
            // cannot be made, and nobody can be writing it, so it is read as it lies
            Err(StoreError::Sql(e))
                if open::disk_trouble(&e).is_some() && !open::companion(path, "-wal").exists() =>
            {
                Self::with_town(open::immutable(path)?, path)
            }
            other => other,
        }
    }

    /// Brings a database to the current schema (`duty-desk upgrade`); returns the
    /// versions before and after.
    pub fn upgrade(path: &Path) -> Result<(i64, i64)> {
        let before = open::probe(path)?.version;
        drop(Store::open(path)?);
        Ok((before, schema::current_version()))
    }

    fn with_town(conn: Connection, path: &Path) -> Result<Store> {
        let has_town: bool =
            conn.query_row("SELECT EXISTS (SELECT 1 FROM town)", [], |r| r.get(0))?;
        if !has_town {
            return Err(StoreError::Invalid(
                Msg::new("err.not_a_town_db").arg("path", path.display()),
            ));
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            clock: None,
        })
    }

    /// Makes every later write take its time from `clock`, read once its lock is held
    /// and never earlier than the newest audit time: stored times then follow commit
    /// order, and a clock stepped backwards between two commands never makes a later
    /// record look older than an earlier one (the write is stamped with the newest
    /// audit time instead).
    pub fn use_clock(&mut self, clock: Clock) {
        self.clock = Some(clock);
    }

    /// Creates a new, empty database file; refuses if anything exists at `path`.
    pub(crate) fn create_empty(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::Invalid(
                Msg::new("err.db_exists").arg("path", path.display()),
            ));
        }
        create_owner_only(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        owner_only(path);
        schema::migrate(&mut conn)?;
        open::stamp(&conn)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            clock: None,
        })
    }

    /// Switches this connection to bulk loading (`synchronous=OFF`) for the synthetic-town
    /// generator only: a crash while loading loses the load, never a desk's records.
    pub fn bulk_load_mode(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        Ok(())
    }

    /// The file this store is on.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A counter that changes whenever *another* connection commits (for live refresh).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; `f` must append at least one audit row.
    pub fn write<T>(
        &mut self,
        ctx: &Ctx,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write_or_rollback(ctx, |w| Ok((f(w)?, true)))
    }

    /// Like [`Store::write`], but `f` may decide to roll back (dry runs, all-or-nothing
    /// imports that found problems) by returning `false` with its result.
    pub fn write_or_rollback<T>(
        &mut self,
        ctx: &Ctx,
        f: impl FnOnce(&mut Writer<'_>) -> Result<(T, bool)>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(map_trigger)?;
        let now = match self.clock {
            Some(clock) => {
                let now = clock.now();
                latest_audit_at(&tx)?.map_or(now, |latest| now.max(latest))
            }
            None => ctx.now,
        };
        let ctx = &Ctx {
            operator: ctx.operator.clone(),
            now,
        };
        let mut w = Writer {
            tx: &tx,
            ctx,
            audited: 0,
            now_text: to_db(now),
            chain: None,
            pin_rule_ok: std::cell::Cell::new(None),
        };
        let (out, commit) = f(&mut w).map_err(|e| match e {
            StoreError::Sql(e) => map_trigger(e),
            other => other,
        })?;
        if !commit {
            tx.rollback()?;
            return Ok(out);
        }
        if w.audited == 0 {
            return Err(StoreError::Open(Msg::new("err.unaudited_write")));
        }
        tx.commit().map_err(map_trigger)?;
        Ok(out)
    }
}

/// The newest time in the audit log (read inside the write's transaction).
fn latest_audit_at(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let at: Option<String> = conn
        .prepare_cached("SELECT max(at) FROM audit")?
        .query_row([], |r| r.get(0))?;
    Ok(at.as_deref().and_then(from_db))
}

/// The handle a write works through: the transaction and the duty to audit.
pub struct Writer<'a> {
    /// The open `BEGIN IMMEDIATE` transaction.
    pub tx: &'a rusqlite::Transaction<'a>,
    /// Who and when.
    pub ctx: &'a Ctx,
    audited: usize,
    now_text: String,
    /// The last audit row's id and chain hash, read once per transaction.
    chain: Option<(i64, String)>,
    /// Whether the operator meets the town's `require_pin` (read once per transaction).
    pin_rule_ok: std::cell::Cell<Option<bool>>,
}

impl Writer<'_> {
    /// Appends one audit row (who, when, what, to what, details), chained to the row
    /// before it (`domain::audit_chain`). The previous hash is read once per transaction
    /// and the chain carried on in memory, so bulk imports do not re-query per row.
    pub fn audit(
        &mut self,
        action: AuditAction,
        subject: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let action = action.as_str();
        let detail = detail.to_string();
        let at = self.now_db();
        let operator = self.ctx.operator.clone();
        match self.append_audit(&at, &operator, action, subject, &detail) {
            // someone appended through another path in this transaction: re-read the end
            Err(StoreError::Sql(e))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                self.chain = None;
                self.append_audit(&at, &operator, action, subject, &detail)?;
            }
            other => other?,
        }
        self.audited += 1;
        Ok(())
    }

    fn append_audit(
        &mut self,
        at: &str,
        operator: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<()> {
        let (prev_id, prev_hash) = match self.chain.take() {
            Some(c) => c,
            None => audit::last_link(self.tx)?,
        };
        let link = crate::domain::audit_chain::Link {
            id: prev_id + 1,
            at,
            operator,
            action,
            subject,
            detail,
        };
        match audit::insert_link(self.tx, &prev_hash, &link) {
            Ok(hash) => {
                self.chain = Some((link.id, hash));
                Ok(())
            }
            Err(e) => {
                self.chain = Some((prev_id, prev_hash));
                Err(e)
            }
        }
    }

    /// The instant of this write as stored text.
    pub fn now_db(&self) -> String {
        self.now_text.clone()
    }

    /// Refuses the write when the operator's role lacks `p`, or the operator is not on the
    /// staff list (unless the town has none), inside the transaction so console and command
    /// line are held to the same policy (`roles::check_operator`). The rules are exempt.
    pub fn permit(&self, p: crate::domain::roles::Permission) -> Result<()> {
        if self.ctx.operator == rules::RULES_OPERATOR {
            return Ok(());
        }
        let (role, listed) = staff::role_of(self.tx, &self.ctx.operator)?;
        let retired = role.is_none() && staff::is_retired(self.tx, &self.ctx.operator)?;
        crate::domain::roles::check_standing(&self.ctx.operator, role, retired, listed, p)
            .map_err(StoreError::NotPermitted)?;
        // the town's `require_pin`: a writer on the staff list must have a PIN (console and
        // command line alike); asked once per transaction
        if role.is_some() {
            let ok = match self.pin_rule_ok.get() {
                Some(ok) => ok,
                None => {
                    let (_, required) = session::rules(self.tx)?;
                    let ok = !required || staff::has_pin(self.tx, &self.ctx.operator)?;
                    self.pin_rule_ok.set(Some(ok));
                    ok
                }
            };
            if !ok {
                return Err(StoreError::NotPermitted(
                    Msg::new("operators.pin_required").arg("name", &self.ctx.operator),
                ));
            }
        }
        Ok(())
    }
}

pub(crate) fn read_audit(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        operator: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
    })
}

/// The audit rows about one subject, oldest first (detail views' history).
pub fn audit_for(conn: &Connection, subject: &str) -> Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, operator, action, subject, detail FROM audit WHERE subject = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([subject], read_audit)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Store {
    /// The audit rows about one subject, oldest first (for detail views).
    pub fn audit_for(&self, subject: &str) -> Result<Vec<AuditRow>> {
        audit_for(&self.conn, subject)
    }

    /// The newest audit rows, newest first.
    pub fn audit_recent(&self, limit: i64) -> Result<Vec<AuditRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, operator, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], read_audit)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
