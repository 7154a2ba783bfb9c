//! The layer rule of ARCHITECTURE.md, checked on the source: `domain` uses no other layer,
//! `store` only `domain` (and the shared modules), `config` does not draw, and the CLI
//! does not borrow the screens' code. A `use crate::…` (or a `crate::…` path) that breaks
//! it fails `cargo test --lib layer_rules`.

use std::path::{Path, PathBuf};

/// Which top-level modules the files under `dir` (relative to `src/`) must not name.
const RULES: [(&str, &[&str]); 4] = [
    ("domain", &["store", "app", "ui", "cli"]),
    ("store", &["app", "ui", "cli"]),
    ("config.rs", &["ui", "app", "cli"]),
    ("cli", &["ui"]),
];

/// The top-level modules a piece of source names as `crate::<module>`, including each
/// one inside a `crate::{…}` group. Comments are skipped.
fn crate_modules(src: &str) -> Vec<String> {
    let code: String = src
        .lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // the items of the group, split at its top level
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(first_ident(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            found.push(first_ident(&item));
        } else {
            found.push(first_ident(rest));
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

fn first_ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            rust_files(&e, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Every breach of [`RULES`] under `src`, as `file: crate::module`.
fn breaches(src: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for (dir, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(dir), &mut files);
        assert!(!files.is_empty(), "no source under src/{dir}");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for m in crate_modules(&text) {
                if forbidden.contains(&m.as_str()) {
                    out.push(format!("{}: crate::{m}", f.display()));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn no_layer_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = breaches(&src);
    assert!(
        found.is_empty(),
        "imports against the layer table in ARCHITECTURE.md:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_paths_groups_and_skips_comments() {
    let src = "use crate::store::fleet::VehicleRow;\n\
               use crate::{\n    domain::town::Town,\n    ui::{theme, widgets},\n};\n\
               // crate::cli in a comment\n\
               let x = crate::app::runtime::run(); // crate::notify\n";
    assert_eq!(crate_modules(src), ["store", "domain", "ui", "app"]);
}
