//! `kizuna office invite` / `kizuna init --join` with the invite's passphrase,
//! and what a data folder made by the CLI leaves readable to others.

use std::path::Path;

use crate::common::{invite, join, kizuna};
use crate::stderr;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn hq_with_invite(office: &str) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let hq = tmp.path().join("hq");
    assert!(kizuna(&hq, &["init"]).status.success());
    let file = tmp.path().join(format!("{office}.invite"));
    let pass = invite(&hq, office, &file);
    (tmp, hq, file, pass)
}

#[test]
fn office_invite_prints_a_one_time_passphrase_of_four_groups() {
    let (tmp, hq, _, pass) = hq_with_invite("tono");
    let groups: Vec<&str> = pass.split('-').collect();
    assert_eq!(groups.len(), 4, "{pass}");
    assert!(groups.iter().all(|g| g.len() == 5 && g.chars().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())));
    // Shown to people in the text output too, and different for each invite.
    let o = kizuna(&hq, &["office", "invite", "sendai", "--out", tmp.path().join("s.invite").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let shown = text.lines().map(str::trim).find(|l| l.len() == 23 && l.matches('-').count() == 3).expect(&text);
    assert_ne!(shown, pass);
    #[cfg(unix)]
    assert_eq!(mode(&tmp.path().join("s.invite")), 0o600);
}

#[test]
fn init_join_with_a_wrong_or_missing_passphrase_fails_and_writes_nothing() {
    let (tmp, hq, file, pass) = hq_with_invite("tono");
    let tono = tmp.path().join("tono");
    let wrong = if pass.starts_with('A') { pass.replacen('A', "B", 1) } else { format!("A{}", &pass[1..]) };
    let o = join(&tono, &file, &wrong);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("error[unauthorized]") && stderr(&o).contains("passphrase"), "{}", stderr(&o));
    assert!(!tono.join("kizuna.sqlite3").exists() && !tono.join("keys").exists());
    // No terminal and no KIZUNA_INVITE_PASSPHRASE: told where to give it.
    let o = kizuna(&tono, &["init", "--join", file.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("KIZUNA_INVITE_PASSPHRASE"), "{}", stderr(&o));
    assert!(!tono.join("kizuna.sqlite3").exists());
    // The right one joins.
    let o = join(&tono, &file, &pass);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = kizuna(&tono, &["--json", "sync", "status"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["enrolled"], true, "{v}");
    drop(hq);
}

#[test]
fn a_joined_office_keeps_its_key_owner_only_and_out_of_the_database() {
    let (tmp, _hq, file, pass) = hq_with_invite("sendai");
    let dir = tmp.path().join("data").join("sendai");
    assert!(join(&dir, &file, &pass).status.success());
    let key = std::fs::read_to_string(dir.join("keys/signing.key")).unwrap();
    assert_eq!(key.trim().len(), 64);
    #[cfg(unix)]
    {
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&tmp.path().join("data")), 0o700);
        assert_eq!(mode(&dir.join("kizuna.sqlite3")), 0o600);
        assert_eq!(mode(&dir.join("keys")), 0o700);
        assert_eq!(mode(&dir.join("keys/signing.key")), 0o600);
        assert_eq!(mode(&dir.join("keys/database.key")), 0o600);
    }
    let db = std::fs::read(dir.join("kizuna.sqlite3")).unwrap();
    assert!(!db.starts_with(b"SQLite format 3"));
    assert!(!db.windows(64).any(|w| w == key.trim().as_bytes()));
}

#[cfg(unix)]
#[test]
fn exports_the_user_asks_for_keep_the_ordinary_mode_of_a_new_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hq");
    assert!(kizuna(&dir, &["init"]).status.success());
    let out = tmp.path().join("dump.json");
    let o = kizuna(&dir, &["export", "json", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // What this process's umask gives any new file.
    let probe = tmp.path().join("probe");
    std::fs::write(&probe, b"").unwrap();
    assert_eq!(mode(&out), mode(&probe));
    assert_ne!(mode(&out), 0o600, "umask 077 here: the test proves nothing");
}
