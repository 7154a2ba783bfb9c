//! The console's sign-over on the store thread: the incoming person's PIN, then the
//! sign-over written as theirs.

use chrono::{DateTime, Utc};

use crate::domain::town::Town;
use crate::i18n::Msg;
use crate::store::{Ctx, Store, handover};

/// The console's sign-over: the operator at the keyboard hands over (they need the right
/// to), the incoming person proves who they are with their PIN, and the write is theirs.
pub(super) fn sign(
    store: &mut Store,
    town: &Town,
    ctx: &Ctx,
    incoming: &str,
    pin: Option<crate::app::login::Pin>,
) -> crate::store::Result<(DateTime<Utc>, crate::domain::handover::Handover)> {
    use crate::store::StoreError;
    use crate::store::staff::{Login, login_at, role_of};
    let (role, listed) = role_of(store.conn(), &ctx.operator)?;
    crate::domain::roles::check_operator(
        &ctx.operator,
        role,
        listed,
        crate::domain::roles::Permission::SignHandover,
    )
    .map_err(StoreError::NotPermitted)?;
    match login_at(
        store.conn(),
        incoming,
        pin.as_ref().map(|p| p.0.as_str()),
        ctx.now,
    )? {
        Login::Accepted => {}
        Login::NeedsPin => {
            return Err(StoreError::NotPermitted(
                Msg::new("shift.err.pin_needed").arg("name", incoming),
            ));
        }
        Login::WrongPin => {
            return Err(StoreError::NotPermitted(
                Msg::new("shift.err.wrong_pin").arg("name", incoming),
            ));
        }
        // five wrong PINs, here or at any login: no sign-over in their name until it ends
        Login::Locked => {
            return Err(StoreError::NotPermitted(
                Msg::new("operators.locked")
                    .arg("name", incoming)
                    .arg("minutes", crate::store::staff::LOCK_MINUTES),
            ));
        }
        // not on the staff list: the sign-over itself says so (or lets anyone, with none)
        Login::Unknown => {}
    }
    let as_incoming = Ctx {
        operator: incoming.to_string(),
        now: ctx.now,
    };
    store.write(&as_incoming, |w| {
        handover::sign(w, town, Some(&ctx.operator))
    })
}
