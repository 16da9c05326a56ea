// axe-core with its default rules (WCAG 2 A and AA plus best practices), put
// into each page over DevTools and run there.
import fs from "node:fs";
import { createRequire } from "node:module";
import { MODES, openPage, remoteRequests, withTimeout } from "./browser.mjs";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const AXE_VERSION = require("axe-core/package.json").version;

const WIDTHS = [1400, 390];

/* One axe run; resolves to the page's violations by rule id. */
async function axeOne(browser, origin, target, width, mode) {
  const { page, requests, dispose } = await openPage(browser, origin + target.path, {
    width, mode, ready: target.ready,
  });
  try {
    if (target.setup) await target.setup(page);
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => {
      const r = await window.axe.run(document);
      const pick = (list) => list.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
      }));
      return { violations: pick(r.violations), incomplete: r.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.length })) };
    });
    return { ...result, remote: remoteRequests(requests, origin) };
  } finally {
    await dispose();
  }
}

/* Runs axe on every page × mode × width; a run that fails or times out is
   recorded as an error, which counts as a failure. */
export async function runAxe(browser, origin, targets, log) {
  const runs = [];
  for (const target of targets) {
    for (const mode of Object.keys(MODES)) {
      for (const width of WIDTHS) {
        const label = `axe ${target.name} ${mode} ${width}`;
        const run = { page: target.name, path: target.path, mode, width };
        try {
          Object.assign(run, await withTimeout(label, 45000, () => axeOne(browser, origin, target, width, mode)));
          const n = run.violations.reduce((s, v) => s + v.nodes.length, 0);
          log(`${label}: ${run.violations.length} rules, ${n} nodes`);
        } catch (e) {
          run.error = String(e.message || e);
          log(`${label}: ERROR ${run.error}`);
        }
        runs.push(run);
      }
    }
  }
  return { version: AXE_VERSION, runs };
}

/* Violation nodes of a run, summed over its rules. */
export function axeNodes(run) {
  return (run.violations || []).reduce((s, v) => s + v.nodes.length, 0);
}
