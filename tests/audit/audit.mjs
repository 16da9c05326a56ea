#!/usr/bin/env node
// Audits a built biji site: axe-core, the Nu HTML checker, code block
// contrast and Lighthouse. Exits 1 when a check misses its threshold (see
// lib/report.mjs), unless --report-only.
//
//   node tests/audit/audit.mjs SITE_DIR [--report-only] [--json FILE]
//        [--only axe,vnu,lighthouse,contrast] [--note /path/] [--query WORD]
import fs from "node:fs";
import { parseArgs } from "node:util";
import { runAxe } from "./lib/axe.mjs";
import { startBrowser, startServer } from "./lib/browser.mjs";
import { runContrast } from "./lib/contrast.mjs";
import { runLighthouse } from "./lib/lighthouse.mjs";
import { passed, summary, THRESHOLDS } from "./lib/report.mjs";
import { chooseTargets } from "./lib/site.mjs";
import { runVnu } from "./lib/vnu.mjs";

const CHECKS = ["axe", "vnu", "contrast", "lighthouse"];
const USAGE = "usage: node tests/audit/audit.mjs SITE_DIR [--report-only] [--json FILE] "
  + "[--only axe,vnu,lighthouse,contrast] [--note /path/] [--query WORD] [--quiet]";

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "report-only": { type: "boolean", default: false },
      json: { type: "string" },
      only: { type: "string", default: CHECKS.join(",") },
      note: { type: "string" },
      query: { type: "string", default: "python" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const only = values.only.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((c) => !CHECKS.includes(c));
  if (unknown.length) {
    console.error(`unknown check: ${unknown.join(", ")}\n${USAGE}`);
    process.exit(2);
  }
  const site = positionals[0];
  if (!fs.existsSync(`${site}/index.html`)) {
    console.error(`${site} is not a built site (no index.html)`);
    process.exit(2);
  }
  return { ...values, only, site };
}

/* Runs the browser checks on one Chromium; the HTML checker runs beside the
   page checks but finishes before Lighthouse, whose scores need the CPU. */
async function audit(opts, log) {
  const targets = chooseTargets(opts.site, opts);
  const results = { site: opts.site, thresholds: THRESHOLDS, targets };
  const vnu = opts.only.includes("vnu") ? runVnu(opts.site, log) : null;
  const needBrowser = ["axe", "contrast", "lighthouse"].some((c) => opts.only.includes(c));
  if (needBrowser) {
    const server = await startServer(opts.site);
    const chromium = await startBrowser();
    try {
      const { browser, port } = chromium;
      log(`serving ${opts.site} at ${server.origin}; Chromium ${await browser.version()} on port ${port}`);
      if (opts.only.includes("axe")) results.axe = await runAxe(browser, server.origin, targets.pages, log);
      if (opts.only.includes("contrast")) results.contrast = await runContrast(browser, server.origin, targets.code, log);
      if (vnu) results.vnu = await vnu;
      if (opts.only.includes("lighthouse")) {
        results.lighthouse = await runLighthouse(port, server.origin, targets.lighthouse, log);
      }
    } finally {
      await chromium.close();
      server.close();
    }
  }
  if (vnu && !results.vnu) results.vnu = await vnu;
  return results;
}

async function main() {
  const opts = options();
  const started = Date.now();
  const log = opts.quiet ? () => {} : (m) => console.error(`[audit] ${m}`);
  const results = await audit(opts, log);
  results.seconds = Math.round((Date.now() - started) / 1000);
  results.passed = passed(results);
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(results, null, 2) + "\n");
  console.log(summary(results));
  if (opts.json) console.log(`details: ${opts.json}`);
  process.exitCode = results.passed || opts["report-only"] ? 0 : 1;
}

main().catch((e) => {
  console.error(`audit: ${e.stack || e}`);
  process.exit(2);
});
