//! Operators on the command line are who they say they are: `login` proves a PIN once and
//! leaves a session token in a 0600 file in the user's runtime directory; every write by
//! an operator with a PIN needs a live session (or the PIN typed at a terminal prompt).
//!
//! The file holds only a random token; the database holds its SHA-256 with the operator,
//! the OS user, the database and the expiry (`store::session`). Copying another user's
//! file (which 0600 prevents) does not help: the OS user is checked. Editing the name in
//! the file does not help: the database says whose token it is. Logout and expiry are
//! enforced by the database, not by deleting the file.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use super::{CliError, CliResult, Env};
use crate::domain::time::to_db;
use crate::domain::town::Role;
use crate::i18n::Msg;
use crate::store::Store;
use crate::store::session::{self, Owner};
use crate::store::staff::{self, Login};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn other(e: impl std::fmt::Display) -> CliError {
    CliError::Other(e.to_string())
}

/// The OS user running this process, as `uid:N` (the owner of `/proc/self`, which no
/// environment variable can change; `user:NAME` where there is no `/proc`), followed by
/// `+sudo:NAME` when run through sudo from another account: on a desk where everyone runs
/// duty-desk as one dedicated account, each person's session stays their own (sudo sets
/// `SUDO_USER` itself; a person who fakes it only gets a session key of their own).
pub fn os_user() -> String {
    let mut id = None;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata("/proc/self") {
            id = Some(format!("uid:{}", m.uid()));
        }
    }
    let mut id = id.unwrap_or_else(|| {
        let name = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_default();
        format!("user:{name}")
    });
    if let Ok(via) = std::env::var("SUDO_USER")
        && !via.is_empty()
    {
        id.push_str("+sudo:");
        id.push_str(&via);
    }
    id
}

/// The database's key: SHA-256 of its canonical path.
fn db_key(db: &Path) -> String {
    let canon = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
    sha256_hex(canon.as_os_str().as_encoded_bytes())
}

/// The directory for session files: `$XDG_RUNTIME_DIR/duty-desk`, else a directory only
/// this user may enter under the temp dir, named for the user.
fn session_dir(create: bool) -> Result<PathBuf, CliError> {
    let (dir, shared_parent) = match std::env::var_os("XDG_RUNTIME_DIR") {
        Some(d) if !d.is_empty() && Path::new(&d).is_dir() => {
            (PathBuf::from(d).join("duty-desk"), false)
        }
        _ => {
            let user = os_user()
                .split('+')
                .next()
                .unwrap_or_default()
                .replace(':', "-");
            (std::env::temp_dir().join(format!("duty-desk-{user}")), true)
        }
    };
    if !dir.exists() {
        if !create {
            return Ok(dir);
        }
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        b.create(&dir).map_err(other)?;
    }
    // in the shared temp dir someone else could have made the directory first
    #[cfg(unix)]
    if shared_parent {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let m = std::fs::symlink_metadata(&dir).map_err(other)?;
        let mine = std::fs::metadata("/proc/self").map(|p| p.uid()).ok();
        if !m.is_dir() || m.permissions().mode() & 0o077 != 0 || mine.is_some_and(|u| u != m.uid())
        {
            return Err(CliError::Other(
                Msg::new("operators.unsafe_dir")
                    .arg("path", dir.display())
                    .render(crate::i18n::Lang::from_env()),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = shared_parent;
    Ok(dir)
}

/// One file per database and per person (see [`os_user`]).
fn session_file(db: &Path, create: bool) -> Result<PathBuf, CliError> {
    let key = sha256_hex(format!("{}\n{}", db_key(db), os_user()).as_bytes());
    Ok(session_dir(create)?.join(format!("session-{}", &key[..16])))
}

/// The token in this user's session file for `db`, if there is one.
fn read_token(db: &Path) -> Option<String> {
    let path = session_file(db, false).ok()?;
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    value
        .get("token")
        .and_then(|t| t.as_str())
        .map(str::to_string)
}

fn write_token(db: &Path, operator: &str, token: &str) -> Result<PathBuf, CliError> {
    let path = session_file(db, true)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(other)?;
    // NamedTempFile is created 0600; the content is a token only, never the PIN
    let body = serde_json::json!({ "operator": operator, "token": token });
    tmp.write_all(body.to_string().as_bytes()).map_err(other)?;
    tmp.as_file().sync_all().map_err(other)?;
    tmp.persist(&path).map_err(other)?;
    Ok(path)
}

/// The operator whose live session this user holds on `env.db`, and until when.
fn live_session(
    env: &Env,
    store: &Store,
) -> Result<Option<(String, chrono::DateTime<chrono::Utc>)>, CliError> {
    let Some(token) = read_token(&env.db) else {
        return Ok(None);
    };
    session::holder(
        store.conn(),
        &sha256_hex(token.as_bytes()),
        &os_user(),
        &db_key(&env.db),
        env.clock.now(),
    )
    .map_err(|e| CliError::store(e, env.lang))
}

/// True when this user holds a live session for the operator on this database.
pub fn has_session(env: &Env, store: &Store) -> Result<bool, CliError> {
    Ok(live_session(env, store)?.is_some_and(|(op, _)| op == env.operator))
}

/// Refusal for a write with no operator named, saying how to give one.
pub fn no_operator(env: &Env) -> CliError {
    CliError::NotPermitted(env.say(&Msg::new("operators.no_operator")))
}

/// Checks a PIN through the one shared check (lockout included); `Ok` when accepted.
pub fn check_pin(env: &Env, store: &Store, name: &str, pin: &str) -> CliResult {
    let outcome = staff::login_at(store.conn(), name, Some(pin), env.clock.now())
        .map_err(|e| CliError::store(e, env.lang))?;
    match outcome {
        Login::Accepted => Ok(()),
        Login::Locked => Err(locked(env, store, name)),
        Login::WrongPin | Login::NeedsPin => Err(CliError::NotPermitted(
            env.say(&Msg::new("operators.wrong_pin").arg("name", name)),
        )),
        Login::Unknown => Err(CliError::NotPermitted(
            env.say(&Msg::new("access.unknown_operator").quoted("name", name)),
        )),
    }
}

fn locked(env: &Env, store: &Store, name: &str) -> CliError {
    let until = staff::locked_until(store.conn(), name, env.clock.now())
        .ok()
        .flatten()
        .map(to_db)
        .unwrap_or_default();
    CliError::NotPermitted(
        env.say(
            &Msg::new("operators.locked_until")
                .arg("name", name)
                .arg("until", until),
        ),
    )
}

/// The gate every write passes: a named operator; for one with a PIN (or every writer
/// when the town's `require_pin` is on) a live session, or the PIN typed at a prompt
/// when standard input is a terminal; otherwise exit 4 saying to run `duty-desk login`.
/// `role` is the operator's, as the caller has just read it with the town.
pub fn gate(env: &Env, store: &Store, role: Option<Role>) -> CliResult {
    if env.operator.is_empty() {
        return Err(no_operator(env));
    }
    let conn = store.conn();
    let (_, require_pin) = session::rules(conn).map_err(|e| CliError::store(e, env.lang))?;
    if role.is_none() {
        // not on the staff list: only a town without one lets them write (the policy
        // decides); nobody there has a PIN
        return Ok(());
    }
    let has_pin = staff::has_pin(conn, &env.operator).map_err(|e| CliError::store(e, env.lang))?;
    if !has_pin {
        return if require_pin {
            Err(CliError::NotPermitted(env.say(
                &Msg::new("operators.pin_required").arg("name", &env.operator),
            )))
        } else {
            Ok(())
        };
    }
    if has_session(env, store)? {
        return Ok(());
    }
    if std::io::stdin().is_terminal() {
        let pin = prompt(
            env,
            &Msg::new("operators.pin_prompt").arg("name", &env.operator),
        )?;
        return check_pin(env, store, &env.operator, &pin);
    }
    Err(CliError::NotPermitted(env.say(
        &Msg::new("operators.need_session").arg("name", &env.operator),
    )))
}

/// Reads a secret from the terminal without echo.
pub fn prompt(env: &Env, label: &Msg) -> Result<String, CliError> {
    rpassword::prompt_password(env.say(label)).map_err(other)
}

/// Reads one line of standard input (a PIN piped in), without its line end.
pub fn stdin_line() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(other)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// `duty-desk login [--pin-stdin]`.
pub fn login(env: &Env, pin_stdin: bool) -> CliResult {
    if env.operator.is_empty() {
        return Err(no_operator(env));
    }
    let (mut store, town) = env.open()?;
    if town.staff_member(&env.operator).is_none() {
        return Err(CliError::NotPermitted(env.say(
            &Msg::new("access.unknown_operator").quoted("name", &env.operator),
        )));
    }
    let has_pin =
        staff::has_pin(store.conn(), &env.operator).map_err(|e| CliError::store(e, env.lang))?;
    if !has_pin {
        let (_, require_pin) =
            session::rules(store.conn()).map_err(|e| CliError::store(e, env.lang))?;
        if require_pin {
            return Err(CliError::NotPermitted(env.say(
                &Msg::new("operators.pin_required").arg("name", &env.operator),
            )));
        }
        println!(
            "{}",
            env.say(&Msg::new("operators.no_pin_no_session").arg("name", &env.operator))
        );
        return Ok(());
    }
    let pin = if pin_stdin {
        stdin_line()?
    } else if std::io::stdin().is_terminal() {
        prompt(
            env,
            &Msg::new("operators.pin_prompt").arg("name", &env.operator),
        )?
    } else {
        return Err(CliError::input(
            Msg::new("operators.pin_stdin_hint"),
            env.lang,
        ));
    };
    check_pin(env, &store, &env.operator, &pin)?;
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    let token = hex(&raw);
    let os = os_user();
    let key = db_key(&env.db);
    let owner = Owner {
        operator: &env.operator,
        os_user: &os,
        db_key: &key,
    };
    // a new login replaces this user's previous session on this database
    let previous = read_token(&env.db).map(|t| sha256_hex(t.as_bytes()));
    let until = store
        .write(&env.ctx(), |w| {
            if let Some(old) = &previous {
                session::close(w, old)?;
            }
            session::open(w, &sha256_hex(token.as_bytes()), &owner)
        })
        .map_err(|e| CliError::store(e, env.lang))?;
    write_token(&env.db, &env.operator, &token)?;
    let local = until.with_timezone(&town.info.offset);
    println!(
        "{}",
        env.say(
            &Msg::new("operators.logged_in")
                .arg("name", crate::domain::text::display(&env.operator))
                .arg("until", local.format("%Y-%m-%d %H:%M"))
        )
    );
    Ok(())
}

/// `duty-desk logout`: ends the session in the database and removes the file.
pub fn logout(env: &Env) -> CliResult {
    let path = session_file(&env.db, false)?;
    let Some(token) = read_token(&env.db) else {
        println!("{}", env.say(&Msg::new("operators.no_session")));
        return Ok(());
    };
    let (mut store, _) = env.open()?;
    let token_hash = sha256_hex(token.as_bytes());
    let operator = session::holder(
        store.conn(),
        &token_hash,
        &os_user(),
        &db_key(&env.db),
        chrono::DateTime::<chrono::Utc>::MIN_UTC,
    )
    .map_err(|e| CliError::store(e, env.lang))?
    .map(|(op, _)| op);
    if let Some(op) = &operator {
        let ctx = crate::store::Ctx {
            operator: op.clone(),
            now: env.clock.now(),
        };
        store
            .write(&ctx, |w| session::close(w, &token_hash))
            .map_err(|e| CliError::store(e, env.lang))?;
    }
    if let Err(e) = std::fs::remove_file(&path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        return Err(other(e));
    }
    let msg = match &operator {
        Some(op) => Msg::new("operators.logged_out").arg("name", crate::domain::text::display(op)),
        None => Msg::new("operators.no_session"),
    };
    println!("{}", env.say(&msg));
    Ok(())
}
