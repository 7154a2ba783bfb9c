//! The audit log's hash chain: each row's hash is SHA-256 over the previous row's hash and
//! a canonical encoding of the row itself, so an edited, deleted or inserted row breaks
//! the chain at that row. Pure: the store feeds rows in and stores what comes out.
//!
//! Encoding (stable; changing it breaks every stored chain): the previous row's hash as
//! its 64 lowercase hex characters (nothing for the first row), then for each of `id`
//! (decimal), `at`, `operator`, `action`, `subject`, `detail`: its length in bytes as an
//! 8-byte big-endian number followed by its UTF-8 bytes. The hash is stored as lowercase hex.

use sha2::{Digest, Sha256};

/// The content of one audit row that the chain covers.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    /// Row id.
    pub id: i64,
    /// When (stored text).
    pub at: &'a str,
    /// Who.
    pub operator: &'a str,
    /// What.
    pub action: &'a str,
    /// To what.
    pub subject: &'a str,
    /// Details (stored JSON text).
    pub detail: &'a str,
}

/// The chain hash of `row` following a row whose hash is `prev` (empty for the first row).
pub fn hash(prev: &str, row: &Link<'_>) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    let id = row.id.to_string();
    for field in [
        id.as_str(),
        row.at,
        row.operator,
        row.action,
        row.subject,
        row.detail,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Why a row does not fit the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The row's stored hash is not the hash of its content after the row before it:
    /// this row was edited or inserted, or the row before it was deleted.
    Mismatch {
        /// The first row that does not fit.
        id: i64,
    },
    /// Ids jump: rows before this one were deleted.
    Gap {
        /// The first row after the missing ones.
        id: i64,
        /// The row before the gap.
        after: i64,
    },
    /// The row has no hash at all (written without the desk).
    Unhashed {
        /// The row.
        id: i64,
    },
}

impl Break {
    /// The id of the first row that does not fit.
    pub fn id(&self) -> i64 {
        match self {
            Break::Mismatch { id } | Break::Gap { id, .. } | Break::Unhashed { id } => *id,
        }
    }
}

/// Walks the chain one row at a time, from a known good point.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walker {
    /// The id of the last row that fitted (0 before the first).
    pub last_id: i64,
    /// Its hash (empty before the first row).
    pub last_hash: String,
    /// Rows checked by this walker.
    pub checked: u64,
}

impl Walker {
    /// A walker that continues after a row already checked.
    pub fn after(last_id: i64, last_hash: String) -> Walker {
        Walker {
            last_id,
            last_hash,
            checked: 0,
        }
    }

    /// Checks the next row (rows come in id order) and its stored hash.
    pub fn step(&mut self, row: &Link<'_>, stored: Option<&str>) -> Result<(), Break> {
        if self.last_id != 0 && row.id != self.last_id + 1 {
            return Err(Break::Gap {
                id: row.id,
                after: self.last_id,
            });
        }
        let Some(stored) = stored else {
            return Err(Break::Unhashed { id: row.id });
        };
        let expected = hash(&self.last_hash, row);
        if expected != stored {
            return Err(Break::Mismatch { id: row.id });
        }
        self.last_id = row.id;
        self.last_hash = expected;
        self.checked += 1;
        Ok(())
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    /// Row id.
    pub id: i64,
    /// When.
    pub at: String,
    /// Who.
    pub operator: String,
    /// What.
    pub action: String,
    /// To what.
    pub subject: String,
    /// Details as JSON text.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, detail: &str) -> Link<'_> {
        Link {
            id,
            at: "2026-01-01T00:00:00Z",
            operator: "王",
            action: "log.add",
            subject: "log:1",
            detail,
        }
    }

    #[test]
    fn hash_is_hex_and_depends_on_every_field_and_the_previous_hash() {
        let a = hash("", &row(1, "{}"));
        assert_eq!(a.len(), 64);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase())
        );
        assert_ne!(a, hash("", &row(2, "{}")));
        assert_ne!(a, hash("", &row(1, "{ }")));
        assert_ne!(a, hash(&a, &row(1, "{}")));
        // field boundaries are part of the encoding: moving a character between fields
        // changes the hash
        let mut moved = row(1, "{}");
        moved.operator = "王l";
        moved.action = "og.add";
        assert_ne!(a, hash("", &moved));
    }

    #[test]
    fn sha256_of_the_encoding_is_what_is_documented() {
        // independent check of the encoding: SHA-256 of the documented byte string
        let mut bytes = Vec::new();
        for f in ["1", "t", "o", "a", "s", "d"] {
            bytes.extend_from_slice(&(f.len() as u64).to_be_bytes());
            bytes.extend_from_slice(f.as_bytes());
        }
        let want = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        let got = hash(
            "",
            &Link {
                id: 1,
                at: "t",
                operator: "o",
                action: "a",
                subject: "s",
                detail: "d",
            },
        );
        assert_eq!(got, want);
    }

    #[test]
    fn walker_accepts_a_chain_and_names_the_first_bad_row() {
        let h1 = hash("", &row(1, "{}"));
        let h2 = hash(&h1, &row(2, "{}"));
        let h3 = hash(&h2, &row(3, "{}"));
        let mut w = Walker::default();
        w.step(&row(1, "{}"), Some(&h1)).unwrap();
        w.step(&row(2, "{}"), Some(&h2)).unwrap();
        w.step(&row(3, "{}"), Some(&h3)).unwrap();
        assert_eq!(w.checked, 3);

        // edited content
        let mut w = Walker::default();
        w.step(&row(1, "{}"), Some(&h1)).unwrap();
        assert_eq!(
            w.step(&row(2, "{\"x\":1}"), Some(&h2)),
            Err(Break::Mismatch { id: 2 })
        );
        // deleted row 2
        let mut w = Walker::default();
        w.step(&row(1, "{}"), Some(&h1)).unwrap();
        assert_eq!(
            w.step(&row(3, "{}"), Some(&h3)),
            Err(Break::Gap { id: 3, after: 1 })
        );
        // a row written without a hash
        let mut w = Walker::after(2, h2.clone());
        assert_eq!(w.step(&row(3, "{}"), None), Err(Break::Unhashed { id: 3 }));
    }
}
