//! Versioned migrations, applied at every open.

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::{Result, StoreError};
use crate::i18n::Msg;

fn migrations() -> Migrations<'static> {
    Migrations::new(steps())
}

/// The migrations, in order (add the next one at the end).
fn steps() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_002_day_totals.sql")),
        M::up(include_str!("schema_003_bounds.sql")),
        M::up(include_str!("schema_004_open.sql")),
        M::up(include_str!("schema_005_roster.sql")),
        M::up_with_hook(
            include_str!("schema_006_audit_chain.sql"),
            super::audit::chain_existing,
        ),
        M::up(include_str!("schema_007_report.sql")),
        M::up(include_str!("schema_008_town_changes.sql")),
        M::up(include_str!("schema_009_alerts.sql")),
        M::up(include_str!("schema_010_perf.sql")),
        M::up(include_str!("schema_012_is19g.sql")),
        M::up(include_str!("schema_011_people.sql")),
        M::up(include_str!("schema_013_is18q.sql")),
        M::up(include_str!("schema_014_isp.sql")),
    ]
}

/// Brings the database to the current schema version.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrations().to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sql(err),
        other => StoreError::Open(Msg::new("err.migration").arg("detail", other)),
    })
}

/// The schema version this program migrates to: rusqlite_migration numbers the versions
/// 1, 2, … in list order, so it is the number of migrations. (It was found by migrating an
/// in-memory database at every start, which parsed the whole schema each time: a tenth of
/// a short command's run, issue 18.)
pub fn current_version() -> i64 {
    steps().len() as i64
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;
    use rusqlite_migration::{M, Migrations};

    #[test]
    fn migrations_are_valid() {
        assert!(super::migrations().validate().is_ok());
    }

    #[test]
    fn current_version_is_what_migrating_a_fresh_database_reaches() {
        let mut conn = Connection::open_in_memory().unwrap();
        super::migrations().to_latest(&mut conn).unwrap();
        let reached: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(super::current_version(), reached);
    }

    #[test]
    fn current_version_counts_the_migrations() {
        assert!(super::current_version() >= 3);
    }

    /// A database of version 2 that took the overflowing import (issue 12): the bounds
    /// migration keeps its rows, drops the impossible figure, and the day totals are
    /// integers again.
    #[test]
    fn bounds_migration_repairs_an_overflowed_day() {
        let mut conn = Connection::open_in_memory().unwrap();
        Migrations::new(vec![
            M::up(include_str!("schema.sql")),
            M::up(include_str!("schema_002_day_totals.sql")),
        ])
        .to_latest(&mut conn)
        .unwrap();
        conn.execute_batch(
            "INSERT INTO health_center (code, name, seq) VALUES ('H', 'h', 1);
             INSERT INTO village (code, name, population, health_center, seq) VALUES
                 ('A', 'a', 1000, 'H', 1), ('B', 'b', 2000, 'H', 2);
             INSERT INTO daily_report (date, village, outpatients, severe, entered_at, entered_by)
                 VALUES ('2026-11-25', 'A', 9223372036854775807, 3, 't', 'x');
             INSERT INTO daily_report (date, village, outpatients, entered_at, entered_by)
                 VALUES ('2026-11-25', 'B', 5, 't', 'x');
             INSERT INTO day_signoff (date, signed, signed_by, signed_at)
                 VALUES ('2026-11-25', 1, 'x', 't');",
        )
        .unwrap();
        let kind: String = conn
            .query_row("SELECT typeof(s_outpatients) FROM day_totals", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(kind, "real", "the defect this migration repairs");
        super::migrate(&mut conn).unwrap();
        let (kind, sum, n, severe): (String, i64, i64, i64) = conn
            .query_row(
                "SELECT typeof(s_outpatients), s_outpatients, n_outpatients, s_severe FROM day_totals",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!((kind.as_str(), sum, n, severe), ("integer", 5, 1, 3));
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM daily_report", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2, "rows kept");
        // the triggers came back: the signed day is still locked, totals still kept
        assert!(
            conn.execute("DELETE FROM daily_report WHERE village = 'B'", [])
                .is_err()
        );
        conn.execute(
            "INSERT INTO daily_report (date, village, outpatients, entered_at, entered_by)
             VALUES ('2026-11-26', 'B', 7, 't', 'x')",
            [],
        )
        .unwrap();
        let s: i64 = conn
            .query_row(
                "SELECT s_outpatients FROM day_totals WHERE date = '2026-11-26'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(s, 7);
    }
}
