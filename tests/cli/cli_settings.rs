//! Settings file, shell completions and the man page, through the real binary.

use crate::common;

use predicates::str::contains;

#[test]
fn config_show_prints_the_effective_settings() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(
        &cfg,
        "theme = \"light\"\nkeys = \"vim\"\nlanguage = \"zh\"\n",
    )
    .unwrap();
    common::cli(&dir.path().join("x.db"))
        .arg("--config")
        .arg(&cfg)
        .args(["config", "show"])
        .assert()
        .success()
        .stdout(contains("theme = \"light\""))
        .stdout(contains("keys = \"vim\""))
        .stdout(contains("language = \"zh-CN\""))
        .stdout(contains(cfg.display().to_string()));
}

#[test]
fn a_bad_settings_file_is_refused_with_file_key_and_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("c.toml");
    std::fs::write(&cfg, "theme = \"pink\"\nrefresh_ms = 1\ncolour = 3\n").unwrap();
    let a = common::cli(&dir.path().join("x.db"))
        .arg("--config")
        .arg(&cfg)
        .args(["config", "show"])
        .assert()
        .code(2);
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    for key in ["theme", "refresh_ms", "colour"] {
        assert!(
            err.contains(&format!("{}: {key}:", cfg.display())),
            "{key} in {err}"
        );
    }
    assert!(err.contains("pink"));
    assert!(err.contains("unknown key"));
}

#[test]
fn a_missing_settings_file_named_on_the_command_line_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    common::cli(&dir.path().join("x.db"))
        .args(["--config", "/nonexistent/duty.toml", "config", "show"])
        .assert()
        .code(2)
        .stderr(contains("/nonexistent/duty.toml"));
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef duty-desk"),
        ("fish", "complete -c duty-desk"),
    ] {
        common::cli(&dir.path().join("x.db"))
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(contains(marker))
            .stdout(contains("transport"));
    }
}

#[test]
fn the_man_page_lists_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    common::cli(&dir.path().join("x.db"))
        .arg("man")
        .assert()
        .success()
        .stdout(contains(".TH duty-desk 1"))
        .stdout(contains("import"))
        .stdout(contains("handover"));
}
