// The Nu HTML checker over every .html file of the site, errors only.
import { spawn } from "node:child_process";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const VNU_JAR = require("vnu-jar");
const VNU_VERSION = require("vnu-jar/package.json").version;

/* Resolves to { errors, top: [{ message, count, example }], files }; the
   checker prints its JSON report on stderr and exits 1 when it found errors. */
export function runVnu(site, log) {
  return new Promise((resolve) => {
    const args = ["-Xss8m", "-jar", VNU_JAR, "--errors-only", "--skip-non-html", "--format", "json", site];
    const proc = spawn("java", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout.on("data", (d) => { out += d; });
    proc.stderr.on("data", (d) => { out += d; });
    // Bounded, and never left behind when the audit itself is stopped.
    const stop = () => proc.kill("SIGKILL");
    const timer = setTimeout(stop, 180000);
    process.on("exit", stop);
    proc.on("error", (e) => { clearTimeout(timer); resolve({ version: VNU_VERSION, error: String(e.message) }); });
    proc.on("close", (code) => {
      clearTimeout(timer);
      process.off("exit", stop);
      let messages;
      try {
        messages = JSON.parse(out.slice(out.indexOf("{"))).messages;
      } catch {
        resolve({ version: VNU_VERSION, error: `no JSON report (exit ${code}): ${out.slice(0, 400)}` });
        return;
      }
      const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
      const groups = new Map();
      for (const m of errors) {
        const g = groups.get(m.message) || { message: m.message, count: 0, files: new Set(), example: null };
        g.count += 1;
        g.files.add(m.url);
        g.example ||= `${path.relative(site, new URL(m.url).pathname)}:${m.lastLine || "?"}: ${(m.extract || "").trim().slice(0, 120)}`;
        groups.set(m.message, g);
      }
      const top = [...groups.values()]
        .sort((a, b) => b.count - a.count)
        .map((g) => ({ message: g.message, count: g.count, pages: g.files.size, example: g.example }));
      const files = new Set(errors.map((m) => m.url)).size;
      log(`vnu: ${errors.length} errors in ${files} files`);
      resolve({ version: VNU_VERSION, errors: errors.length, files, top, messages: errors });
    });
  });
}
