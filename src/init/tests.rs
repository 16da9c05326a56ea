use super::config_yaml::CONFIG_DOC;
use super::repository::is_biji_repo;
use super::*;
use crate::config::KEYS;
use std::path::Path;

#[test]
fn config_lists_every_key_with_its_default() {
    let text = config_text();
    let parsed = Config::parse(&text, Path::new("biji.yaml")).expect("generated biji.yaml parses");
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
            "biji build --root \"site\" --base-url \"${{ steps.pages.outputs.base_url }}/\""
        ),
        "{path}"
    );
    assert!(path.contains("path: site/out\n"));
    assert!(path.contains("branches: [master]"));
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
