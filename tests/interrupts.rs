//! `biji check` interrupted or killed: its build in the system's temporary
//! folder (as big as the site) is removed on the way out, or by the next check.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The check folders in `tmp` (this test's own TMPDIR).
fn check_folders(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("biji-check-"))
        .collect()
}

fn check(root: &Path, tmp: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_biji"));
    c.args(["check", "-q"]).current_dir(root).env("TMPDIR", tmp);
    c
}

#[test]
fn an_interrupted_check_removes_its_folder() {
    let dir = common::slow_site();
    let tmp = tempfile::tempdir().unwrap();
    let mut child = check(dir.path(), tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while check_folders(tmp.path()).is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no check folder appeared"
        );
        if child.try_wait().unwrap().is_some() {
            return; // too fast to catch on this machine
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    common::interrupt_quietly(child, "-TERM");
    assert_eq!(check_folders(tmp.path()), Vec::<String>::new());
}

#[test]
fn the_folder_of_a_killed_check_is_removed_by_the_next() {
    let dir = common::site_with([("a.md", "# A\n")]);
    let tmp = tempfile::tempdir().unwrap();
    // As `kill -9` leaves it: a process that no longer runs.
    let stale = tmp
        .path()
        .join(format!("biji-check-{}-Ab12Cd", u32::MAX - 1));
    std::fs::create_dir_all(stale.join("public/a")).unwrap();
    // Not biji's, or not named as biji names them: kept.
    let other = tmp.path().join("biji-check-notes");
    std::fs::create_dir_all(&other).unwrap();
    let o = check(dir.path(), tmp.path()).output().unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert_eq!(
        check_folders(tmp.path()),
        vec!["biji-check-notes".to_string()]
    );
}
