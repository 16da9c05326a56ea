// The pass/fail rules and the printed summary.
import { axeNodes } from "./axe.mjs";

export const THRESHOLDS = {
  axeViolations: 0,
  vnuErrors: 0,
  contrastMin: 4.5,
  lighthouse: { performance: 95, accessibility: 100, "best-practices": 100, seo: 100 },
};

const short = { performance: "perf", accessibility: "a11y", "best-practices": "bp", seo: "seo" };

/* One row per check run: [check, page, mode, width, verdict, detail]. */
function rows(results) {
  const out = [];
  for (const r of results.axe?.runs || []) {
    const ok = !r.error && axeNodes(r) === 0 && !r.remote?.length;
    const rules = (r.violations || []).map((v) => `${v.id}(${v.nodes.length})`).join(" ");
    const detail = r.error || (rules ? `${r.violations.length} rules, ${axeNodes(r)} nodes: ${rules}` : "no violations")
      + (r.remote?.length ? `; ${r.remote.length} remote requests` : "");
    out.push(["axe", r.page, r.mode, String(r.width), ok, detail]);
  }
  if (results.vnu) {
    const v = results.vnu;
    out.push(["vnu", "all pages", "-", "-", !v.error && v.errors === 0, v.error || `${v.errors} errors in ${v.files} files`]);
  }
  for (const r of results.contrast?.runs || []) {
    const ok = !r.error && r.min !== null && r.min >= THRESHOLDS.contrastMin && r.sameBackground;
    const bg = Object.entries(r.backgrounds || {}).map(([k, v]) => `${k} ${v.join("/")}`).join(", ");
    const detail = r.error || `min ${r.min}, ${r.below}/${r.elements} below 4.5; bg ${r.sameBackground ? "same" : "DIFFER"} (${bg})`;
    out.push(["contrast", r.page, r.mode, "1400", ok, detail]);
  }
  for (const r of results.lighthouse?.runs || []) {
    const ok = !r.error && lighthouseFailures(r).length === 0;
    const scores = Object.entries(r.scores || {}).map(([k, v]) => `${short[k]} ${v}`).join(" ");
    const failing = Object.entries(r.failing || {}).filter(([, list]) => list.length)
      .map(([cat, list]) => `${short[cat]}: ${list.map((a) => a.id).join(" ")}`).join("; ");
    const detail = r.error || r.runtimeError || `${scores}; failing ${failing || "none"}`
      + (r.remote?.length ? `; ${r.remote.length} remote requests` : "");
    out.push(["lighthouse", r.page, "mobile", "412", ok, detail]);
  }
  return out;
}

function lighthouseFailures(r) {
  const out = [];
  for (const [cat, min] of Object.entries(THRESHOLDS.lighthouse)) {
    const s = r.scores?.[cat];
    if (s === null || s === undefined || s < min) out.push(`${cat} ${s} < ${min}`);
  }
  if (r.runtimeError) out.push(`runtime error: ${r.runtimeError}`);
  if (r.remote?.length) out.push(`remote requests: ${r.remote.join(" ")}`);
  return out;
}

/* Whether every check that ran passed its threshold. */
export function passed(results) {
  return rows(results).every((row) => row[4]);
}

function table(data) {
  const widths = data[0].map((_, i) => Math.max(...data.map((r) => r[i].length)));
  return data.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).join("\n");
}

/* The printed summary: one table, then the top HTML errors and the worst code
   colours, which the table has no room for. */
export function summary(results) {
  const head = ["check", "page", "mode", "width", "result", "detail"];
  const body = rows(results).map(([c, p, m, w, ok, d]) => [c, p, m, w, ok ? "ok" : "FAIL", d]);
  const lines = [table([head, ...body])];
  const top = results.vnu?.top || [];
  if (top.length) {
    lines.push("", "vnu, most frequent errors:");
    for (const t of top.slice(0, 8)) lines.push(`  ${String(t.count).padStart(5)} × (${t.pages} pages) ${t.message}`);
  }
  // The same colours in several modes (both dark ones, say) on one line.
  const worst = new Map();
  for (const r of results.contrast?.runs || []) {
    for (const w of r.worst || []) {
      const key = `${w.selector}|${w.color}|${w.background}`;
      const seen = worst.get(key);
      if (seen) seen.modes.add(r.mode);
      else worst.set(key, { ...w, modes: new Set([r.mode]) });
    }
  }
  if (worst.size) {
    lines.push("", "code contrast below 4.5, worst first:");
    const list = [...worst.values()].sort((a, b) => a.ratio - b.ratio);
    for (const w of list.slice(0, 12)) {
      lines.push(`  ${w.ratio.toFixed(2)}  ${w.color} on ${w.background}  ${w.selector} (${w.count}×, ${[...w.modes].join(",")})`);
    }
  }
  lines.push("", `audit: ${passed(results) ? "passed" : "FAILED"} (${body.filter((r) => r[4] === "ok").length} of ${body.length} checks ok, ${results.seconds}s)`);
  return lines.join("\n");
}
