//! Recognising a duty-desk database before anything is written to it.
//!
//! A file given as `--db` is looked at without being changed: its first 100 bytes are read
//! by hand (SQLite's header: magic, `user_version`, `application_id`), then, when needed,
//! its tables are listed through a read-only connection that creates no `-wal`/`-shm`
//! (`immutable=1` when no `-wal` exists). Only a file that is ours goes on to a normal
//! connection. Ours means: our `application_id`, or (a database from the first round,
//! made before the id existed) id 0 with a `town` and an `audit` table and a
//! `user_version` we know; such a file is stamped with the id on its next write-open.

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Result, StoreError, schema};
use crate::i18n::Msg;

/// SQLite `application_id` of a duty-desk database: "DUTY" in ASCII.
pub const APPLICATION_ID: i32 = 0x4455_5459;

/// What the look at a file found: a duty-desk database at `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Probe {
    /// Its `user_version` (1 ..= the current schema version).
    pub version: i64,
    /// Whether it already carries [`APPLICATION_ID`] (first-round files do not).
    pub stamped: bool,
}

fn refuse(key: &'static str, path: &Path) -> StoreError {
    StoreError::Invalid(Msg::new(key).arg("path", path.display()))
}

/// The path with `suffix` appended (`-wal`, `-shm`).
pub fn companion(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    std::path::PathBuf::from(p)
}

/// A `file:` URI for `path` (absolute), with SQLite's special characters escaped.
fn uri(path: &Path, query: &str) -> Option<String> {
    let abs = std::fs::canonicalize(path).ok()?;
    let text = abs.to_str()?;
    let mut out = String::from("file:");
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out.push('?');
    out.push_str(query);
    Some(out)
}

/// Looks at `path` without changing it; refuses (exit 2, naming the file) anything that is
/// not a duty-desk database this program can open.
pub(crate) fn probe(path: &Path) -> Result<Probe> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Open(
                Msg::new("err.no_database").arg("path", path.display()),
            ));
        }
        Err(e) => return Err(unreadable(path, &e)),
    };
    if !meta.is_file() {
        return Err(refuse("open.not_a_file", path));
    }
    if meta.len() == 0 {
        return Err(refuse("open.empty", path));
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
    file.read_exact(&mut header)
        .map_err(|_| refuse("open.not_sqlite", path))?;
    drop(file);
    if &header[..16] != b"SQLite format 3\0" {
        return Err(refuse("open.not_sqlite", path));
    }
    let id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
    if id != 0 && id != APPLICATION_ID {
        return Err(refuse("open.foreign", path));
    }
    // a file not known to be ours is read without locks or companions (`immutable`); ours
    // is read with normal locking when it is in use (a -wal exists), so pages still in
    // the WAL count, and also when the lock-free read failed (a checkpoint under way)
    let in_use = companion(path, "-wal").exists();
    // a file stamped ours needs no look at its tables (that look parses the whole schema,
    // about a millisecond of a short command's start, issue 18); a cut-off one is told
    // from its header: SQLite writes whole pages
    let stamped = id == APPLICATION_ID;
    if stamped {
        let page = match u16::from_be_bytes([header[16], header[17]]) {
            1 => 65536,
            n => u64::from(n),
        };
        if !page.is_power_of_two() || page < 512 || meta.len() < page || meta.len() % page != 0 {
            return Err(refuse("open.damaged", path));
        }
    }
    let (id, version, tables) = match inspect(path, !(in_use && stamped), !stamped) {
        Ok(found) => found,
        // a full or failing disk is named as such, not as a damaged file
        Err(e) if disk_trouble(&e).is_some() => return Err(StoreError::Sql(e)),
        // (only while it is in use: a locked read would create a -wal/-shm otherwise)
        Err(_) if id == APPLICATION_ID && companion(path, "-wal").exists() => {
            inspect(path, false, !stamped).map_err(|e| match disk_trouble(&e) {
                Some(_) => StoreError::Sql(e),
                None => refuse("open.damaged", path),
            })?
        }
        Err(_) => return Err(refuse("open.damaged", path)),
    };
    let ours = id == APPLICATION_ID || (id == 0 && tables == 2);
    if !ours {
        return Err(refuse("open.foreign", path));
    }
    let current = schema::current_version();
    if version > current {
        return Err(StoreError::Invalid(
            Msg::new("open.newer")
                .arg("path", path.display())
                .arg("found", version)
                .arg("current", current),
        ));
    }
    if version < 1 {
        return Err(StoreError::Invalid(
            Msg::new("open.version_reset")
                .arg("path", path.display())
                .arg("found", version)
                .arg("current", current),
        ));
    }
    Ok(Probe {
        version,
        stamped: id == APPLICATION_ID,
    })
}

fn unreadable(path: &Path, e: &std::io::Error) -> StoreError {
    let key = if e.kind() == std::io::ErrorKind::PermissionDenied {
        "open.no_permission"
    } else {
        "open.unreadable"
    };
    StoreError::Open(Msg::new(key).arg("path", path.display()).arg("detail", e))
}

/// A read-only connection that takes no locks and creates no companions (`immutable=1`):
/// only for a file nobody can be writing.
pub(crate) fn immutable(path: &Path) -> rusqlite::Result<Connection> {
    let Some(uri) = uri(path, "mode=ro&immutable=1") else {
        return Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
    };
    Connection::open_with_flags(
        uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// `application_id`, `user_version` and how many of our `town`/`audit` exist (0 unless
/// `tables`), read through a read-only connection; `immutable` also takes no locks and
/// creates no `-wal`/`-shm` (it reads the main file only).
fn inspect(path: &Path, immutable: bool, tables: bool) -> rusqlite::Result<(i32, i64, i64)> {
    let conn = if immutable {
        self::immutable(path)?
    } else {
        let Some(uri) = uri(path, "mode=ro") else {
            return Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
        };
        Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?
    };
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    // our two tables, recognised by their columns too: another program may well have a
    // table called `town` or `audit`
    if !tables {
        return Ok((id, version, 0));
    }
    let tables: i64 = conn.query_row(
        "SELECT ((SELECT count(*) FROM pragma_table_info('town')
                   WHERE name IN ('report_cutoff', 'shift_start', 'critical_wait_minutes')) = 3)
              + ((SELECT count(*) FROM pragma_table_info('audit')
                   WHERE name IN ('at', 'operator', 'action', 'subject', 'detail')) = 5)",
        [],
        |r| r.get(0),
    )?;
    Ok((id, version, tables))
}

/// Marks a database as ours (in a new file, or a first-round file on its write-open).
pub(crate) fn stamp(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "application_id", APPLICATION_ID)
}

/// Plain words for the disk's own failures (full, read-only, no permission, I/O), `None`
/// for everything else.
pub(crate) fn disk_trouble(e: &rusqlite::Error) -> Option<Msg> {
    use rusqlite::ErrorCode::*;
    // SQLITE_IOERR_SHMSIZE: the WAL index could not grow, which SQLite documents as a
    // volume out of space (a full disk shows up as this before any SQLITE_FULL)
    const IOERR_SHMSIZE: std::ffi::c_int = 4874;
    if let rusqlite::Error::SqliteFailure(f, _) = e
        && f.extended_code == IOERR_SHMSIZE
    {
        return Some(Msg::new("open.disk_full"));
    }
    let key = match e.sqlite_error_code()? {
        DiskFull => "open.disk_full",
        ReadOnly => "open.read_only",
        PermissionDenied | CannotOpen => "open.cannot_open",
        SystemIoFailure => "open.io",
        _ => return None,
    };
    Some(Msg::new(key))
}

/// Builds a new database for `path` under a temporary name in the same folder, then puts
/// it in place only when `build` finished: a killed `init` leaves no half-built town at
/// `path` (at most a hidden `.NAME.init-…` file, which never blocks a later `init`).
/// Never replaces anything already at `path`.
pub fn build_then_place<T, E>(
    path: &Path,
    build: impl FnOnce(&Path) -> std::result::Result<T, E>,
    exists: impl Fn() -> E,
    placing: impl Fn(std::io::Error) -> E,
) -> std::result::Result<T, E> {
    // a database's leftover -wal (its file deleted by hand) would be replayed into the
    // new one: count it as a database in the way
    let stale_wal = std::fs::metadata(companion(path, "-wal")).is_ok_and(|m| m.len() > 0);
    if path.exists() || stale_wal {
        return Err(exists());
    }
    sweep_leftovers(path);
    let tmp = temp_name(path);
    let remove_tmp = || {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(companion(&tmp, suffix));
        }
    };
    let out = match build(&tmp) {
        Ok(out) => out,
        Err(e) => {
            remove_tmp();
            return Err(e);
        }
    };
    // the builder's connection is closed: its WAL is checkpointed into the file
    let placed = place(&tmp, path);
    remove_tmp();
    match placed {
        Ok(()) => Ok(out),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        Err(e) => Err(placing(e)),
    }
}

/// Removes the temporary files of earlier `init`s for `path` whose process is gone (killed
/// mid-build): they hold a half-built town's names and phones. Where there is no `/proc`
/// to ask, they are left (they never block an `init`).
fn sweep_leftovers(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{}.init-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// `.NAME.init-PID-NANOS` beside `path`.
fn temp_name(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "duty.db".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    path.with_file_name(format!(".{name}.init-{}-{nanos}", std::process::id()))
}

/// Links the finished file to its name (fails if the name is taken: never overwrites),
/// falling back to a rename where hard links are not supported; then syncs the folder so
/// the new name survives a power cut.
fn place(tmp: &Path, path: &Path) -> std::io::Result<()> {
    if let Err(e) = std::fs::hard_link(tmp, path) {
        if e.kind() == std::io::ErrorKind::AlreadyExists || path.exists() {
            return Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists));
        }
        std::fs::rename(tmp, path)?;
    }
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// The schema version this program writes (every migration applied).
pub fn current_schema_version() -> i64 {
    schema::current_version()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(extended: std::ffi::c_int) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(extended), None)
    }

    #[test]
    fn the_disks_troubles_have_their_own_words() {
        let key = |e: rusqlite::Error| disk_trouble(&e).map(|m| m.key.into_owned());
        // SQLITE_FULL, SQLITE_IOERR_SHMSIZE (a full disk in WAL mode), SQLITE_READONLY,
        // SQLITE_CANTOPEN, SQLITE_IOERR_WRITE
        assert_eq!(key(failure(13)).as_deref(), Some("open.disk_full"));
        assert_eq!(key(failure(4874)).as_deref(), Some("open.disk_full"));
        assert_eq!(key(failure(8)).as_deref(), Some("open.read_only"));
        assert_eq!(key(failure(14)).as_deref(), Some("open.cannot_open"));
        assert_eq!(key(failure(778)).as_deref(), Some("open.io"));
        // anything else keeps SQLite's own text
        assert_eq!(key(failure(19)), None);
    }

    #[test]
    fn uris_escape_sqlites_special_characters() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a?b#c%d.db");
        std::fs::write(&p, b"x").unwrap();
        let u = uri(&p, "mode=ro").unwrap();
        assert!(u.ends_with("a%3fb%23c%25d.db?mode=ro"), "{u}");
    }
}
