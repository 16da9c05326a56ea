// Lighthouse with its default (mobile) settings, on the Chromium the other
// checks use, through its DevTools port.
import { createRequire } from "node:module";
import lighthouse from "lighthouse";
import { withTimeout } from "./browser.mjs";

const require = createRequire(import.meta.url);
const LH_VERSION = require("lighthouse/package.json").version;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];

/* One page: category scores (0–100), the audits that did not pass, and any
   request that left the local server. */
async function lighthouseOne(port, origin, url) {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: CATEGORIES,
  });
  const lhr = result.lhr;
  const scores = {};
  const failing = {};
  for (const id of CATEGORIES) {
    const cat = lhr.categories[id];
    scores[id] = cat && cat.score !== null ? Math.round(cat.score * 100) : null;
    // Audits that cost the category points: weighted ones below a pass
    // (Lighthouse's own 0.9 for the performance metrics, which are graded).
    const pass = id === "performance" ? 0.9 : 1;
    failing[id] = (cat ? cat.auditRefs : [])
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id])
      .filter((a) => a && a.score !== null && a.score < pass)
      .map((a) => ({ id: a.id, score: a.score, title: a.title, value: a.displayValue || "" }));
  }
  const requests = (lhr.audits["network-requests"]?.details?.items || []).map((i) => i.url);
  const remote = requests.filter((u) => !u.startsWith(origin) && !/^(data|about|blob):/.test(u));
  // Performance suggestions that weigh nothing in the score, for the JSON.
  const suggestions = Object.values(lhr.audits)
    .filter((a) => a.scoreDisplayMode === "metricSavings" && a.score !== null && a.score < 1)
    .map((a) => a.id);
  const metrics = {};
  for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]) {
    if (lhr.audits[id]) metrics[id] = lhr.audits[id].displayValue;
  }
  return {
    url,
    scores,
    failing,
    suggestions,
    metrics,
    requests: requests.length,
    remote,
    runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null,
    warnings: lhr.runWarnings,
  };
}

/* Runs Lighthouse on each target in turn (never in parallel: the scores
   depend on the CPU being free). */
export async function runLighthouse(port, origin, targets, log) {
  const runs = [];
  for (const target of targets) {
    const label = `lighthouse ${target.name}`;
    const run = { page: target.name, path: target.path };
    try {
      Object.assign(run, await withTimeout(label, 120000, () => lighthouseOne(port, origin, origin + target.path)));
      log(`${label}: ${JSON.stringify(run.scores)}`);
    } catch (e) {
      run.error = String(e.message || e);
      log(`${label}: ERROR ${run.error}`);
    }
    runs.push(run);
  }
  return { version: LH_VERSION, runs };
}
