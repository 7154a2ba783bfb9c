//! The staff list as operators: roles for the permission policy, and PINs kept only as
//! argon2 hashes (a shared desk terminal must know who is at the keyboard).

use crate::domain::audit_action::AuditAction;
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use chrono::{DateTime, Duration, Utc};

use super::{Ctx, Result, StoreError, Writer};
use crate::domain::roles::Permission;
use crate::domain::time::{from_db, to_db};
use crate::domain::town::Role;
use crate::i18n::Msg;

/// Shortest PIN accepted: four digits or characters.
pub const MIN_PIN: usize = 4;

/// The role of `name` (if on the staff list) and whether the town has a staff list at all.
pub fn role_of(conn: &Connection, name: &str) -> Result<(Option<Role>, bool)> {
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM staff WHERE name = ?1 AND retired_at IS NULL")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?;
    let listed: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM staff WHERE retired_at IS NULL)")?
        .query_row([], |r| r.get(0))?;
    Ok((role.as_deref().and_then(Role::parse), listed))
}

/// True when `name` was on the staff list and has been retired from it (issue 16): such a
/// person can no longer operate.
pub fn is_retired(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE name = ?1 AND retired_at IS NOT NULL)",
        )?
        .query_row([name.trim()], |r| r.get(0))?)
}
/// Wrong PINs in a row that lock a person out.
pub const MAX_FAILURES: i64 = 5;
/// How long that lock lasts, in minutes.
pub const LOCK_MINUTES: i64 = 15;

/// What a login attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// The person may start: no PIN set, or the right one given.
    Accepted,
    /// The person has a PIN and none was given yet.
    NeedsPin,
    /// The PIN given is not theirs.
    WrongPin,
    /// Too many wrong PINs: no PIN is checked until the lock ends ([`locked_until`]).
    Locked,
    /// Not on the staff list.
    Unknown,
}

/// Checks a login: `pin` is `None` until the person has been asked for one. The one PIN
/// check for console and command line: a wrong PIN counts towards the lock (and is
/// audited) even when the caller goes on to fail. The clock is `DUTY_DESK_NOW` when set.
pub fn login(conn: &Connection, name: &str, pin: Option<&str>) -> Result<Login> {
    let now = crate::domain::time::Clock::from_env()
        .unwrap_or(crate::domain::time::Clock::System)
        .now();
    login_at(conn, name, pin, now)
}

/// [`login`] at a given instant. Call it outside a write transaction: inside one, the
/// record of a wrong PIN is kept only if that transaction commits.
pub fn login_at(
    conn: &Connection,
    name: &str,
    pin: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Login> {
    let name = name.trim();
    let row: Option<Option<String>> = conn
        .prepare_cached("SELECT pin_hash FROM staff WHERE name = ?1 AND retired_at IS NULL")?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let Some(hash) = row else {
        return Ok(Login::Unknown);
    };
    let Some(hash) = hash else {
        return Ok(Login::Accepted);
    };
    if locked_until(conn, name, now)?.is_some() {
        return Ok(Login::Locked);
    }
    let Some(pin) = pin else {
        return Ok(Login::NeedsPin);
    };
    let right = pin_matches(&hash, pin)?;
    let ctx = Ctx {
        operator: name.to_string(),
        now,
    };
    super::audit::write_on(conn, |c| {
        // checked again inside the transaction: guesses run in parallel learn nothing once
        // another attempt has set the lock (at most five answers per lock)
        if locked_until(c, name, now)?.is_some() {
            return Ok(Login::Locked);
        }
        let failures: i64 = c
            .prepare_cached("SELECT failures FROM pin_attempt WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        if right {
            record_right_pin(c, &ctx, failures)?;
            return Ok(Login::Accepted);
        }
        record_wrong_pin(c, &ctx, failures)
    })
}

/// Whether `pin` matches the stored argon2 `hash` (a hash that does not parse is a
/// corrupt row).
fn pin_matches(hash: &str, pin: &str) -> Result<bool> {
    let parsed = PasswordHash::new(hash)
        .map_err(|e| StoreError::Open(Msg::new("err.corrupt_row").arg("what", e.to_string())))?;
    Ok(Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

/// A right PIN after `failures` wrong ones: the count is cleared, and audited.
fn record_right_pin(c: &Connection, ctx: &Ctx, failures: i64) -> Result<()> {
    if failures > 0 {
        let name = ctx.operator.as_str();
        c.prepare_cached("DELETE FROM pin_attempt WHERE name = ?1")?
            .execute([name])?;
        super::audit::append(
            c,
            ctx,
            AuditAction::OperatorPinAccepted,
            &format!("staff:{name}"),
            json!({ "after_failures": failures }),
        )?;
    }
    Ok(())
}

/// A wrong PIN after `failures` wrong ones: counted and audited, and the operator locked
/// out at the fifth.
fn record_wrong_pin(c: &Connection, ctx: &Ctx, failures: i64) -> Result<Login> {
    let name = ctx.operator.as_str();
    let subject = format!("staff:{name}");
    let failures = failures.saturating_add(1);
    let lock = (failures >= MAX_FAILURES).then(|| to_db(ctx.now + Duration::minutes(LOCK_MINUTES)));
    // a lock starts a fresh count for when it ends
    let stored = if lock.is_some() { 0 } else { failures };
    c.prepare_cached(
        "INSERT INTO pin_attempt (name, failures, locked_until) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET failures = ?2, locked_until = ?3",
    )?
    .execute(params![name, stored, lock])?;
    super::audit::append(
        c,
        ctx,
        AuditAction::OperatorPinFailed,
        &subject,
        json!({ "failures": failures }),
    )?;
    if let Some(until) = &lock {
        super::audit::append(
            c,
            ctx,
            AuditAction::OperatorLocked,
            &subject,
            json!({ "until": until, "minutes": LOCK_MINUTES }),
        )?;
        tracing::warn!(operator = %name, "locked after {MAX_FAILURES} wrong PINs");
        return Ok(Login::Locked);
    }
    Ok(Login::WrongPin)
}

/// Until when `name` is locked out, if they are at `now`.
pub fn locked_until(
    conn: &Connection,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let until: Option<Option<String>> = conn
        .prepare_cached("SELECT locked_until FROM pin_attempt WHERE name = ?1")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?;
    Ok(until
        .flatten()
        .and_then(|t| from_db(&t))
        .filter(|t| *t > now))
}

/// Records that `w.ctx.operator` took the keyboard (console login or switch).
pub fn record_login(w: &mut Writer<'_>) -> Result<()> {
    let subject = format!("staff:{}", w.ctx.operator);
    w.audit(AuditAction::OperatorLogin, &subject, json!({}))
}

/// True when `name` has a PIN set.
pub fn has_pin(conn: &Connection, name: &str) -> Result<bool> {
    let hash: Option<Option<String>> = conn
        .prepare_cached("SELECT pin_hash FROM staff WHERE name = ?1")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?;
    Ok(hash.flatten().is_some())
}

/// Sets (or replaces) a person's PIN, stored as an argon2 hash. Everyone may set their
/// own; setting another person's needs `manage_staff`.
pub fn set_pin(w: &mut Writer<'_>, name: &str, pin: &str) -> Result<()> {
    let name = name.trim();
    let (role, _) = role_of(w.tx, name)?;
    if role.is_none() {
        return Err(StoreError::Invalid(
            Msg::new("err.unknown_staff").arg("name", name),
        ));
    }
    if w.ctx.operator.trim() == name {
        w.permit_self()?;
    } else {
        w.permit(Permission::ManageStaff)?;
    }
    if pin.chars().count() < MIN_PIN {
        return Err(StoreError::Invalid(
            Msg::new("access.pin_too_short").arg("n", MIN_PIN),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map_err(|e| StoreError::Open(Msg::new("err.corrupt_row").arg("what", e.to_string())))?
        .to_string();
    w.tx.prepare_cached("UPDATE staff SET pin_hash = ?2 WHERE name = ?1")?
        .execute(params![name, hash])?;
    // the audit says that it changed, never the PIN or its hash
    w.audit(
        AuditAction::StaffSetPin,
        &format!("staff:{name}"),
        json!({}),
    )?;
    Ok(())
}

impl Writer<'_> {
    /// Allows a change to one's own record to anyone on the staff list.
    fn permit_self(&self) -> Result<()> {
        let (role, _) = role_of(self.tx, &self.ctx.operator)?;
        match role {
            Some(_) => Ok(()),
            None => Err(StoreError::NotPermitted(
                Msg::new("deny.not_on_staff")
                    .quoted("name", &self.ctx.operator)
                    .label("permission", Permission::ManageStaff.label_key()),
            )),
        }
    }
}
