//! What the command line offers beyond building: `--version` with the commit
//! it was built from, shell completions, the man page, and the Pages workflow
//! `init` writes by default (the release binary, no compiler).

use std::path::Path;
use std::process::{Command, Output};

fn biji(dir: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_biji"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_HOME", home.path())
        .output()
        .expect("run biji");
    assert!(
        o.status.success(),
        "biji {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn stdout(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(biji(dir, args).stdout).expect("UTF-8 output")
}

#[test]
fn version_names_the_commit_and_date() {
    let line = stdout(Path::new("."), &["--version"]);
    let rest = line
        .trim_end()
        .strip_prefix(concat!("biji ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    // Built from a Git checkout: ` (<9 hex> YYYY-MM-DD)`; from the crates.io
    // package: ` (<9 hex>)`; with neither, nothing.
    if Path::new(env!("CARGO_MANIFEST_DIR")).join(".git").exists() {
        let inner = rest
            .strip_prefix(" (")
            .and_then(|r| r.strip_suffix(')'))
            .unwrap_or_else(|| panic!("{line}"));
        let (commit, date) = inner.split_once(' ').unwrap_or_else(|| panic!("{line}"));
        assert!(
            commit.len() == 9 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line}"
        );
        let shape: String = date
            .chars()
            .map(|c| if c.is_ascii_digit() { '0' } else { c })
            .collect();
        assert_eq!(shape, "0000-00-00", "{line}");
    }
}

#[test]
fn completions_cover_every_shell_and_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout(Path::new("."), &["completions", shell]);
        for word in ["serve", "build", "check", "base-url", "completions"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    let bad = Command::new(env!("CARGO_BIN_EXE_biji"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[test]
fn man_page_is_roff_with_the_subcommands() {
    let page = stdout(Path::new("."), &["man"]);
    assert!(page.contains(".TH biji 1"), "{page}");
    // Each subcommand with its options, and no page it points to that
    // `biji man` does not write.
    assert!(
        page.contains(".SH \"BIJI SERVE\"") && page.contains("\\-\\-port"),
        "{page}"
    );
    assert!(
        !page.contains("biji\\-build(1)") && !page.contains("SUBCOMMANDS"),
        "{page}"
    );
    assert!(page.contains(env!("CARGO_PKG_VERSION")), "{page}");
}

/// The default workflow downloads this version's release, even in biji's
/// own repository; only `--from-source` compiles.
#[test]
fn init_workflow_downloads_the_release_by_default() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join(".git")).unwrap();
    std::fs::write(d.path().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"biji\"\n").unwrap();
    let said = stdout(d.path(), &["init", "--github-pages"]);
    assert!(said.contains("release binary"), "{said}");
    let path = d.path().join(".github/workflows/pages.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let y: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    assert_eq!(
        y["env"]["BIJI_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    let runs: Vec<&str> = y["jobs"]["build"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(
        !runs
            .iter()
            .any(|r| r.contains("cargo") || r.contains("rustup")),
        "{text}"
    );
    assert!(
        runs.iter().any(|r| r.contains("sha256sum --check")),
        "{text}"
    );

    let said = stdout(
        d.path(),
        &["init", "--github-pages", "--from-source", "--force"],
    );
    assert!(
        said.contains("replaced ") && said.contains("pages.yml"),
        "{said}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("cargo install --path . --locked"), "{text}");
    assert!(!text.contains("BIJI_VERSION"), "{text}");
}

/// A repository that already deploys to Pages another way gets a warning:
/// two workflows would replace each other's site.
#[test]
fn init_names_another_pages_workflow() {
    let d = tempfile::tempdir().unwrap();
    let flows = d.path().join(".github/workflows");
    std::fs::create_dir_all(&flows).unwrap();
    std::fs::write(
        flows.join("hugo.yml"),
        "steps:\n  - uses: actions/deploy-pages@v4\n",
    )
    .unwrap();
    std::fs::write(flows.join("test.yml"), "steps:\n  - run: make test\n").unwrap();
    let o = biji(d.path(), &["init", "--github-pages"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("hugo.yml` also deploys to GitHub Pages"),
        "{err}"
    );
    assert!(!err.contains("test.yml"), "{err}");
    assert!(!err.contains("pages.yml` also"), "{err}");
}

/// `biji check | head -1`: a reader that stops early is no error, and never
/// a panic (Rust's `println!` panics on a closed pipe).
#[test]
fn a_closed_pipe_is_no_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    std::fs::write(
        dir.path().join("notes/a.md"),
        "# A\n\n[b](https://b.com/x)\n",
    )
    .unwrap();
    for args in [&["build", "-v"][..], &["check"], &["completions", "bash"]] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_biji"))
            .args(args)
            .current_dir(dir.path())
            .stdout(writer.try_clone().unwrap())
            .stderr(writer)
            .status()
            .expect("run biji");
        assert_eq!(o.code(), Some(0), "biji {args:?}");
    }
}

/// `init` in a site that has its settings and notes: biji.yaml is kept, so
/// it is not in the way (init refused and asked for `--force`, which never
/// replaces it).
#[test]
fn init_in_an_existing_site_keeps_its_settings() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("notes")).unwrap();
    std::fs::write(d.path().join("notes/x.md"), "# x\n").unwrap();
    std::fs::write(d.path().join("biji.yaml"), "title: 我的\n").unwrap();
    let o = biji(d.path(), &["init"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("kept your") && err.contains("biji.yaml"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("biji.yaml")).unwrap(),
        "title: 我的\n"
    );
    assert!(!d.path().join("notes/欢迎.md").exists());
}
