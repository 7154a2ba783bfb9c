//! The staff list as operators: roles for the permission policy, and PINs kept only as
//! argon2 hashes (a shared desk terminal must know who is at the keyboard).

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::{Result, StoreError, Writer};
use crate::domain::roles::Permission;
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

/// What a login attempt found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// The person may start: no PIN set, or the right one given.
    Accepted,
    /// The person has a PIN and none was given yet.
    NeedsPin,
    /// The PIN given is not theirs.
    WrongPin,
    /// Not on the staff list.
    Unknown,
}

/// Checks a login: `pin` is `None` until the person has been asked for one.
pub fn login(conn: &Connection, name: &str, pin: Option<&str>) -> Result<Login> {
    let row: Option<Option<String>> = conn
        .prepare_cached("SELECT pin_hash FROM staff WHERE name = ?1 AND retired_at IS NULL")?
        .query_row([name.trim()], |r| r.get(0))
        .optional()?;
    let Some(hash) = row else {
        return Ok(Login::Unknown);
    };
    let Some(hash) = hash else {
        return Ok(Login::Accepted);
    };
    let Some(pin) = pin else {
        return Ok(Login::NeedsPin);
    };
    let parsed = PasswordHash::new(&hash)
        .map_err(|e| StoreError::Open(Msg::new("err.corrupt_row").arg("what", e.to_string())))?;
    Ok(
        if Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
        {
            Login::Accepted
        } else {
            Login::WrongPin
        },
    )
}

/// Records that `w.ctx.operator` took the keyboard (console login or switch).
pub fn record_login(w: &mut Writer<'_>) -> Result<()> {
    let subject = format!("staff:{}", w.ctx.operator);
    w.audit("operator.login", &subject, json!({}))
}

/// True when `name` has a PIN set.
pub fn has_pin(conn: &Connection, name: &str) -> Result<bool> {
    Ok(login(conn, name, None)? == Login::NeedsPin)
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
    w.audit("staff.set_pin", &format!("staff:{name}"), json!({}))?;
    Ok(())
}

impl Writer<'_> {
    /// Allows a change to one's own record to anyone on the staff list.
    fn permit_self(&self) -> Result<()> {
        let (role, _) = role_of(self.tx, &self.ctx.operator)?;
        match role {
            Some(_) => Ok(()),
            None => Err(StoreError::NotPermitted(
                Msg::new("access.not_on_staff")
                    .arg("name", &self.ctx.operator)
                    .arg("permission", Permission::ManageStaff.as_str()),
            )),
        }
    }
}
