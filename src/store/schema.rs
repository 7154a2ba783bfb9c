//! Versioned migrations, applied at every open.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::{Result, StoreError};
use crate::i18n::Msg;

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_002_day_totals.sql")),
        M::up(include_str!("schema_004_open.sql")),
    ])
}

/// Brings the database to the current schema version.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sql(err),
        other => StoreError::Open(Msg::new("err.migration").arg("detail", other)),
    })
}

/// The schema version this program migrates to (the number of migrations), found once by
/// migrating an in-memory database so it follows the list above without a second count.
pub fn current_version() -> i64 {
    static CURRENT: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *CURRENT.get_or_init(|| {
        let Ok(mut conn) = Connection::open_in_memory() else {
            return 0;
        };
        if migrations().to_latest(&mut conn).is_err() {
            return 0;
        }
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    #[test]
    fn current_version_counts_the_migrations() {
        assert!(super::current_version() >= 3);
    }
}
