use super::config_yaml::CONFIG_DOC;
use super::repository::is_biji_repo;
use super::*;
use crate::config::KEYS;
use std::path::Path;

#[test]
fn config_lists_every_key_with_its_default() {
    let text = config_text();
    let mut parsed =
        Config::parse(&text, Path::new("biji.yaml")).expect("generated biji.yaml parses");
    // Written, as every key is.
    assert!(parsed.breaks_set);
    parsed.breaks_set = false;
    assert_eq!(
        format!("{parsed:?}"),
        format!("{:?}", Config::default()),
        "a value in init/config_yaml.rs CONFIG_DOC is not the key's default"
    );
    for key in KEYS {
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("{key}: ")) || l == format!("{key}:")),
            "config key `{key}` is missing from the biji.yaml `biji init` writes; add it to CONFIG_DOC in src/init/config_yaml.rs"
        );
    }
    // And every key under `markdown:`, as the unknown-key error lists them.
    let e = Config::parse("markdown:\n  zzz: true\n", Path::new("biji.yaml")).unwrap_err();
    let d = e.downcast_ref::<crate::diagnostic::Diagnostic>().unwrap();
    let valid = d
        .hint
        .as_deref()
        .unwrap()
        .trim_start_matches("valid keys: ");
    for key in valid.split(", ") {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("  {key}: "))),
            "markdown key `{key}` is missing from the biji.yaml `biji init` writes"
        );
    }
    let documented: Vec<&str> = CONFIG_DOC.iter().map(|(k, _, _)| *k).collect();
    assert_eq!(
        documented, KEYS,
        "CONFIG_DOC in src/init/config_yaml.rs must list config::KEYS in order"
    );
}

#[test]
fn workflow_installs_as_chosen() {
    let git = workflow_text(
        &Install::Git(Some("https://x.io/biji".into())),
        "",
        "public",
        "main",
    );
    assert!(git.contains("BIJI_GIT: \"https://x.io/biji\""), "{git}");
    assert!(git.contains(
        "cargo install --locked --git \"$BIJI_GIT\" --rev \"${{ steps.biji.outputs.rev }}\" biji"
    ));
    assert!(git.contains("path: public\n"));
    let unset = workflow_text(&Install::Git(None), "", "public", "main");
    assert!(
        unset.contains("BIJI_GIT: \"\"") && unset.contains("Set BIJI_GIT"),
        "{unset}"
    );
    let path = workflow_text(&Install::Path, "site", "out", "master");
    assert!(path.contains("cargo install --path . --locked"));
    assert!(!path.contains("BIJI_GIT"));
    assert!(
        path.contains(
            "biji build --root 'site' --base-url \"${{ steps.pages.outputs.base_url }}/\""
        ),
        "{path}"
    );
    assert!(path.contains("path: site/out\n"));
    assert!(path.contains("branches: [master]"));
}

#[test]
fn workflow_downloads_the_release_and_checks_its_sum() {
    let text = workflow_text(&Install::Release("1.2.3".into()), "", "public", "main");
    assert!(text.contains("BIJI_VERSION: \"1.2.3\""), "{text}");
    assert!(
        text.contains(&format!(
            "BIJI_RELEASES: \"{}/releases/download\"",
            env!("CARGO_PKG_REPOSITORY")
        )),
        "{text}"
    );
    // No compiler: neither Rust nor cargo appear.
    assert!(
        !text.contains("rustup") && !text.contains("cargo "),
        "{text}"
    );
    let install = build_steps(&text)
        .into_iter()
        .find(|s| s["id"].as_str() == Some("biji"))
        .unwrap();
    let run = install["run"].as_str().unwrap();
    // The archive the release workflow makes for the runner, checked before it is unpacked.
    let name = "name=\"biji-$BIJI_VERSION-$target\"";
    let order = [
        "X64) target=x86_64-unknown-linux-musl",
        name,
        "SHA256SUMS",
        "sha256sum --check --strict",
        "tar -xzf",
        ">> \"$GITHUB_PATH\"",
        "rev=$BIJI_VERSION",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|n| run.find(n).unwrap_or_else(|| panic!("no {n}:\n{run}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{run}");
    assert_caches_build(&text, ".biji-cache");
}

#[test]
fn finds_biji_repo() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"biji\"\n").unwrap();
    assert!(is_biji_repo(d.path()));
    std::fs::write(
        d.path().join("Cargo.toml"),
        "[package]\nname = \"other\"\n[dependencies]\nbiji = \"1\"\n",
    )
    .unwrap();
    assert!(!is_biji_repo(d.path()));
}

/// The comments `init` puts above its `.gitignore` entries.
const IGNORED: [(&str, &str); 2] = [("public", "the output"), (CACHE_DIR, "the cache")];

#[test]
fn gitignore_is_appended_once() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(".gitignore");
    std::fs::write(&p, "target").unwrap();
    assert!(ignore_folders(&p, &IGNORED).unwrap());
    assert!(!ignore_folders(&p, &IGNORED).unwrap());
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(
        text.starts_with("target\n")
            && text.contains("\n/public/\n")
            && text.ends_with("\n/.biji-cache/\n"),
        "{text}"
    );
    assert_eq!(text.matches("/public/").count(), 1, "{text}");
    assert_eq!(text.matches("/.biji-cache/").count(), 1, "{text}");
}

#[test]
fn gitignore_of_an_older_site_gets_only_the_cache() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join(".gitignore");
    std::fs::write(&p, "# mine\npublic/\n").unwrap();
    assert!(ignore_folders(&p, &IGNORED).unwrap());
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(text, "# mine\npublic/\n# the cache\n/.biji-cache/\n");
    assert!(!ignore_folders(&p, &IGNORED).unwrap());
    assert_eq!(std::fs::read_to_string(&p).unwrap(), text);
}

/// The workflow's build steps, parsed as GitHub reads them.
fn build_steps(workflow: &str) -> Vec<serde_yaml::Value> {
    let y: serde_yaml::Value =
        serde_yaml::from_str(workflow).unwrap_or_else(|e| panic!("{e}\n{workflow}"));
    y["jobs"]["build"]["steps"].as_sequence().unwrap().clone()
}

/// Checks the build cache step: its path, a key that holds biji's version, and
/// its place between the step that tells that version and `biji build`.
fn assert_caches_build(workflow: &str, path: &str) {
    let steps = build_steps(workflow);
    let at = |f: &dyn Fn(&serde_yaml::Value) -> bool| {
        steps
            .iter()
            .position(f)
            .unwrap_or_else(|| panic!("missing step:\n{workflow}"))
    };
    let cache = at(&|s| {
        s["uses"].as_str() == Some("actions/cache@v5") && s["with"]["path"].as_str() == Some(path)
    });
    let version = at(&|s| s["id"].as_str() == Some("biji"));
    let build = at(&|s| {
        s["run"]
            .as_str()
            .is_some_and(|r| r.starts_with("biji build"))
    });
    assert!(version < cache && cache < build, "{workflow}");
    let with = &steps[cache]["with"];
    let prefix = "biji-cache-${{ runner.os }}-${{ steps.biji.outputs.rev }}-";
    assert_eq!(with["restore-keys"].as_str(), Some(prefix));
    assert_eq!(
        with["key"].as_str(),
        Some(format!("{prefix}${{{{ github.sha }}}}").as_str())
    );
}

#[test]
fn workflow_caches_the_build_per_biji_version() {
    let git = workflow_text(
        &Install::Git(Some("https://x.io/biji".into())),
        "",
        "public",
        "main",
    );
    assert_caches_build(&git, ".biji-cache");
    // biji's own cache stays as it was.
    let steps = build_steps(&git);
    assert!(steps
        .iter()
        .any(|s| s["with"]["path"].as_str() == Some("~/.cargo/bin/biji")));
    let path = workflow_text(&Install::Path, "docs/site", "out", "main");
    assert_caches_build(&path, "docs/site/.biji-cache");
    let version = build_steps(&path)
        .into_iter()
        .find(|s| s["id"].as_str() == Some("biji"))
        .unwrap();
    assert!(version["run"].as_str().unwrap().contains("rev="), "{path}");
}

#[test]
fn the_published_branch_is_the_remotes_default() {
    let dir = tempfile::tempdir().unwrap();
    let git = dir.path().join(".git");
    std::fs::create_dir_all(git.join("refs/remotes/origin")).unwrap();
    let branch = || super::repository::repo_layout(dir.path()).branch;
    std::fs::write(git.join("HEAD"), "ref: refs/heads/feature/x\n").unwrap();
    assert_eq!(branch(), "feature/x");
    std::fs::write(git.join("HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    assert_eq!(branch(), "main");
    std::fs::write(
        git.join("refs/remotes/origin/HEAD"),
        "ref: refs/remotes/origin/trunk\n",
    )
    .unwrap();
    assert_eq!(branch(), "trunk");
}

#[test]
fn a_site_folder_name_reaches_the_runner_as_written() {
    let text = workflow_text(&Install::Path, "我的 笔记$HOME's", "public", "main");
    assert!(
        text.contains(r"biji build --root '我的 笔记$HOME'\''s' --base-url"),
        "{text}"
    );
}

#[test]
fn a_books_biji_yaml_joins_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("notes")).unwrap();
    std::fs::write(dir.path().join("notes/SUMMARY.md"), "- [一](a.md)\n").unwrap();
    let cfg = Config::default();
    let plan = scaffold::site_files(
        dir.path(),
        &cfg,
        &dir.path().join("biji.yaml"),
        &mut InitReport::default(),
    );
    let text = String::from_utf8(plan[0].bytes.clone()).unwrap();
    assert!(text.contains("\n  breaks: false\n"), "{text}");
    assert!(!config_text().contains("\n  breaks: false\n"));
}
