// Chromium and the static server the checks share: one headless Chromium on a
// fresh profile, reachable over DevTools by both puppeteer (axe, contrast) and
// Lighthouse, and killed however the run ends.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const { serveSite } = require("../../fixtures/search/site-server.js");

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/* The project's browser flags (tests/chromium-flags.txt, which the Rust
   browser tests read too), with the new headless mode Lighthouse wants, plus
   the audit's own: the resolver rule makes every host but 127.0.0.1 fail to
   resolve, so no request can leave the machine (the checks also list any
   request made to another origin). */
const FLAGS = [
  ...fs
    .readFileSync(new URL("../../chromium-flags.txt", import.meta.url), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((f) => (f === "--headless" ? "--headless=new" : f)),
  "--disable-dev-shm-usage",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  "--remote-debugging-port=0",
];

export const VIEWPORTS = {
  1400: { width: 1400, height: 900, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
  390: { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
};

/* How each colour mode is reached: the media feature, the stored choice the
   inline script in base.html reads, or both. */
export const MODES = {
  light: { scheme: "light", stored: null },
  "dark-os": { scheme: "dark", stored: null },
  "dark-toggle": { scheme: "light", stored: "dark" },
};

let live = null;

/* Kills Chromium's whole process group: its helpers outlive a plain kill. */
function killNow() {
  if (!live) return;
  const { proc, profile } = live;
  live = null;
  try { process.kill(-proc.pid, "SIGKILL"); } catch { /* already gone */ }
  try { proc.kill("SIGKILL"); } catch { /* already gone */ }
  fs.rmSync(profile, { recursive: true, force: true });
}

process.on("exit", killNow);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => { killNow(); process.exit(130); });
}

/* Starts Chromium on a new profile; resolves to { browser, port, close }. */
export async function startBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "biji-audit-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: true,
    args: [...FLAGS, `--user-data-dir=${profile}`, "about:blank"],
    defaultViewport: null,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    protocolTimeout: 120000,
  });
  live = { proc: browser.process(), profile };
  const port = Number(new URL(browser.wsEndpoint()).port);
  const close = async () => {
    await Promise.race([browser.close().catch(() => {}), sleep(3000)]);
    killNow();
  };
  return { browser, port, close };
}

/* Serves SITE_DIR at / on 127.0.0.1 and a free port. */
export function startServer(site) {
  return serveSite(path.resolve(site), "/");
}

export function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}

/* Rejects after `ms` with a message naming the task, so one stuck page
   costs a bounded time and the run goes on. */
export async function withTimeout(label, ms, work) {
  let timer;
  const limit = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${label}: timed out after ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([work(), limit]);
  } finally {
    clearTimeout(timer);
  }
}

/* Opens `url` in a new isolated context with the given width and colour mode,
   records every URL the page asks for, and waits for `ready` (a function run
   in the page) when given. Resolves to { page, requests, dispose }. */
export async function openPage(browser, url, { width, mode, ready }) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.setViewport(VIEWPORTS[width]);
  const m = MODES[mode];
  await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: m.scheme }]);
  await page.evaluateOnNewDocument((stored) => {
    try {
      if (stored) localStorage.setItem("biji-theme", stored);
      else localStorage.removeItem("biji-theme");
    } catch { /* storage may be off; the media feature still applies */ }
  }, m.stored);
  await page.goto(url, { waitUntil: "load" });
  if (ready) await page.waitForFunction(ready, { polling: 100 });
  // Web fonts and the layout after deferred scripts settle before measuring.
  await page.evaluate(() => document.fonts && document.fonts.ready);
  const dispose = () => context.close().catch(() => {});
  return { page, requests, dispose };
}

/* URLs a page asked for outside the local server (data: and about: are local). */
export function remoteRequests(requests, origin) {
  return requests.filter((u) => !u.startsWith(origin) && !/^(data|about|blob|chrome-error):/.test(u));
}
