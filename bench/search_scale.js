// What search costs a reader on a built site, measured in headless Chromium:
// the bytes each query downloads as a reader's first query (a fresh index,
// nothing cached), and the page's JS heap over one session of queries (the
// index's caches filling up), after a garbage collection.
//
// Usage: node --experimental-websocket bench/search_scale.js [--files] SITE_DIR [QUERIES.json]
//   --files: also list each file a first query fetched, with its size
//   SITE_DIR: the output folder of `biji build` (base path `/`)
//   QUERIES.json: an array of queries (default: 20 built in, Chinese, mixed
//   and code); each is typed into the search box's engine and its first page
//   of 8 results is fetched with snippets, as the search box does.
// Needs Debian's `chromium` (or CHROMIUM=path).
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");
const { serveSite } = require("../tests/fixtures/search/site-server");

const DEFAULT = [
  "进程", "僵尸进程", "负载均衡", "nginx 负载均衡", "python 协程", "内存管理", "中的一个",
  "C++", "std::vector", "asyn", "垃圾回收", "线程池", "docker 镜像", "TCP 三次握手",
  "索引", "事务隔离级别", "os.fork", "redis 持久化", "虚拟内存", "协程",
];

const args = process.argv.slice(2);
const listFiles = args[0] === "--files";
const [site, queriesFile] = listFiles ? args.slice(1) : args;
if (!site) {
  console.error("usage: node --experimental-websocket bench/search_scale.js [--files] SITE_DIR [QUERIES.json]");
  process.exit(2);
}
const queries = queriesFile ? JSON.parse(fs.readFileSync(queriesFile, "utf8")) : DEFAULT;

async function devtools(profile) {
  const bin = process.env.CHROMIUM || "chromium";
  // The project's flags, shared with the browser tests and the audit.
  const flags = fs
    .readFileSync(path.join(__dirname, "..", "tests", "chromium-flags.txt"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const child = spawn(bin, [
    ...flags, "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank",
  ], { stdio: "ignore" });
  const file = path.join(profile, "DevToolsActivePort");
  for (let i = 0; i < 200 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  const port = fs.readFileSync(file, "utf8").split("\n")[0];
  const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const page = list.find((t) => t.type === "page");
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  let id = 0;
  const waiting = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id && waiting.has(msg.id)) { waiting.get(msg.id)(msg); waiting.delete(msg.id); }
  };
  const call = (method, params = {}) => new Promise((ok, fail) => {
    const n = ++id;
    waiting.set(n, (msg) => (msg.error ? fail(new Error(method + ": " + JSON.stringify(msg.error))) : ok(msg.result)));
    ws.send(JSON.stringify({ id: n, method, params }));
  });
  return { child, ws, call };
}

// Runs in the page: one query as the search box runs it, counting bytes.
const RUN = `async (q, fresh) => {
  const count = { bytes: 0, files: 0, list: [] };
  const counting = async (u, i) => {
    const r = await fetch(u, i);
    const b = await r.arrayBuffer();
    count.bytes += b.byteLength; count.files++;
    count.list.push(String(u).split("search/").pop() + " " + b.byteLength);
    return new Response(b, { status: r.status });
  };
  if (fresh || !window.__index) window.__index = new BijiSearch.Index("/", { fetch: counting });
  else window.__index.fetchImpl = counting;
  const res = await window.__index.search(q);
  const results = window.__index.results(res);
  const list = await results.next(8);
  return JSON.stringify({ q, hits: res.hits.length, shown: list.length, exact: results.count().exact, ...count });
}`;

(async () => {
  const server = await serveSite(site, "/");
  const origin = server.origin;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "biji-search-scale-"));
  const { child, ws, call } = await devtools(profile);
  try {
    await call("Page.enable");
    await call("Runtime.enable");
    // The results page loads search.js at once (other pages on first use).
    await call("Page.navigate", { url: origin + "/search/" });
    for (let i = 0; i < 300; i++) {
      const r = await call("Runtime.evaluate", { expression: "document.readyState === 'complete' && !!window.BijiSearch", returnByValue: true });
      if (r.result.value) break;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    const run = async (q, fresh) => {
      const r = await call("Runtime.evaluate", { expression: `(${RUN})(${JSON.stringify(q)}, ${fresh})`, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(q + ": " + JSON.stringify(r.exceptionDetails));
      return JSON.parse(r.result.value);
    };
    const heap = async () => {
      await call("HeapProfiler.collectGarbage");
      return (await call("Runtime.getHeapUsage")).usedSize;
    };
    // 1. Each query as a reader's first: a fresh index, nothing cached.
    const first = [];
    for (const q of queries) first.push(await run(q, true));
    // 2. One session: the queries one after the other on one index.
    await call("Runtime.evaluate", { expression: "window.__index = null" });
    const before = await heap();
    let peak = before;
    for (const q of queries) {
      await run(q, false);
      peak = Math.max(peak, await heap());
    }
    const sizes = first.map((r) => r.bytes).sort((a, b) => a - b);
    const pick = (f) => sizes[Math.min(sizes.length - 1, Math.floor(f * sizes.length))];
    for (const r of first) {
      console.log(`${r.q}\t${r.hits} hits\t${r.shown} shown\t${(r.bytes / 1024).toFixed(1)} KB in ${r.files} files`);
      if (listFiles) r.list.forEach((f) => console.log("  " + f));
    }
    console.log(`first query: median ${(pick(0.5) / 1024).toFixed(1)} KB, p90 ${(pick(0.9) / 1024).toFixed(1)} KB, max ${(sizes[sizes.length - 1] / 1024).toFixed(1)} KB`);
    console.log(`JS heap: ${(before / 1048576).toFixed(1)} MB before, ${(peak / 1048576).toFixed(1)} MB at most over ${queries.length} queries in one session`);
  } finally {
    ws.close();
    const gone = new Promise((ok) => child.once("exit", ok));
    child.kill();
    await gone;
    server.close();
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    } catch (e) {
      // Chromium's helpers may still be writing; the folder is in the temp dir.
    }
  }
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
