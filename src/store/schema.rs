//! Versioned migrations, applied at every open.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::{Result, StoreError};
use crate::i18n::Msg;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_002_day_totals.sql")),
        M::up(include_str!("schema_005_roster.sql")),
    ])
}

/// Brings the database to the current schema version.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sql(err),
        other => StoreError::Open(Msg::new("err.migration").arg("detail", other)),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }
}
