// WCAG contrast of the text in code blocks: every element inside a <pre> that
// holds text of its own, against the background actually painted behind it.
import { MODES, openPage, withTimeout } from "./browser.mjs";

/* Runs in the page. Colours are read back through a canvas so that any CSS
   colour syntax (rgb, oklch, color-mix) ends up as sRGB bytes. */
function measure() {
  const ctx = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0,0,0,0)";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  // The canvas colour under everything follows the page's colour scheme.
  const probe = document.createElement("div");
  probe.style.cssText = "background: Canvas; position: absolute";
  document.documentElement.appendChild(probe);
  const canvasColour = rgba(getComputedStyle(probe).backgroundColor);
  probe.remove();
  // Composes backgrounds from `el` upwards until one is opaque.
  const background = (el) => {
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out = canvasColour;
    for (const layer of layers.reverse()) out = over(layer, out);
    return out;
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const hex = (c) => "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const name = (el) => el.tagName.toLowerCase() + [...el.classList].map((c) => "." + c).join("");
  const hasOwnText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());

  const samples = [];
  const blocks = [];
  for (const pre of document.querySelectorAll("pre")) {
    const code = pre.querySelector("code");
    const highlighted = !!pre.querySelector("span[class], span[style]");
    const kind = highlighted ? "highlighted" : "plain";
    blocks.push({ kind, selector: name(pre) + (code ? " > " + name(code) : ""), background: hex(background(pre)) });
    for (const el of [pre, ...pre.querySelectorAll("*")]) {
      if (!hasOwnText(el)) continue;
      const bg = background(el);
      const fg = over(rgba(getComputedStyle(el).color), bg);
      samples.push({
        kind,
        selector: (el === pre ? "" : name(pre) + " ") + name(el),
        color: hex(fg),
        background: hex(bg),
        ratio: Math.round(ratio(fg, bg) * 100) / 100,
      });
    }
  }
  return { samples, blocks };
}

/* Groups samples by selector and colours, worst first. */
function summarise(samples, blocks) {
  const groups = new Map();
  for (const s of samples) {
    const key = `${s.selector}|${s.color}|${s.background}`;
    const g = groups.get(key) || { ...s, count: 0 };
    g.count += 1;
    groups.set(key, g);
  }
  const worst = [...groups.values()].sort((a, b) => a.ratio - b.ratio);
  const backgrounds = {};
  for (const b of blocks) (backgrounds[b.kind] ||= new Set()).add(b.background);
  const bgList = Object.fromEntries(Object.entries(backgrounds).map(([k, v]) => [k, [...v]]));
  const all = Object.values(bgList).flat();
  return {
    elements: samples.length,
    min: samples.length ? Math.min(...samples.map((s) => s.ratio)) : null,
    below: samples.filter((s) => s.ratio < 4.5).length,
    worst: worst.filter((g) => g.ratio < 4.5).slice(0, 12),
    lowest: worst.slice(0, 5),
    backgrounds: bgList,
    kinds: Object.keys(bgList),
    sameBackground: new Set(all).size <= 1,
  };
}

/* Measures one target (a page, or several pages pooled) in one mode at the
   desktop width; each page gets its own time limit. */
async function measureTarget(browser, origin, target, mode) {
  const samples = [];
  const blocks = [];
  for (const p of target.paths || [target.path]) {
    const data = await withTimeout(`contrast ${p} ${mode}`, 30000, async () => {
      const { page, dispose } = await openPage(browser, origin + p, { width: 1400, mode });
      try { return await page.evaluate(measure); } finally { await dispose(); }
    });
    for (const x of data.samples) samples.push({ ...x, page: p });
    blocks.push(...data.blocks);
  }
  return summarise(samples, blocks);
}

/* Measures each code target in each of its colour modes (all by default). */
export async function runContrast(browser, origin, targets, log) {
  const runs = [];
  for (const target of targets) {
    for (const mode of target.modes || Object.keys(MODES)) {
      const label = `contrast ${target.name} ${mode}`;
      const run = { page: target.name, path: target.path || `${target.paths.length} pages`, mode };
      try {
        Object.assign(run, await measureTarget(browser, origin, target, mode));
        log(`${label}: min ${run.min} over ${run.elements} elements, ${run.below} below 4.5, backgrounds ${JSON.stringify(run.backgrounds)}`);
      } catch (e) {
        run.error = String(e.message || e);
        log(`${label}: ERROR ${run.error}`);
      }
      runs.push(run);
    }
  }
  return { runs };
}
