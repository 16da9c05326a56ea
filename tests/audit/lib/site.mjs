// Which pages of a built site to check: the fixed ones every site has, plus
// note pages chosen by their code blocks.
import fs from "node:fs";
import path from "node:path";

/* Every .html file under `dir`, relative to it, sorted. */
function htmlFiles(dir, rel = "") {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...htmlFiles(dir, r));
    else if (e.name.endsWith(".html")) out.push(r);
  }
  return out.sort();
}

/* The URL path a file is served at: folders end in "/". */
function urlPath(rel) {
  const p = "/" + rel.split(path.sep).join("/");
  return p.endsWith("/index.html") ? p.slice(0, -"index.html".length) : p;
}

/* Counts a page's code blocks by kind; "highlighted" when the block holds
   styled spans, the same test the contrast check makes in the browser. */
function codeBlocks(html) {
  let plain = 0;
  let highlighted = 0;
  for (const m of html.matchAll(/<pre\b[^>]*>([\s\S]*?)<\/pre>/g)) {
    if (/<span\b[^>]*\b(class|style)=/.test(m[1])) highlighted += 1;
    else plain += 1;
  }
  return { plain, highlighted };
}

/* The first page (in path order) whose body has class `page-<kind>`. */
function firstOfKind(site, kind) {
  const re = new RegExp(`<body[^>]*class="[^"]*\\bpage-${kind}\\b`);
  const rel = htmlFiles(site).find((r) => re.test(fs.readFileSync(path.join(site, r), "utf8")));
  return rel && urlPath(rel);
}

/* Note pages with their code block counts. */
export function notePages(site) {
  const notes = [];
  for (const rel of htmlFiles(site)) {
    const html = fs.readFileSync(path.join(site, rel), "utf8");
    if (!/<body[^>]*class="[^"]*\bpage-note\b/.test(html)) continue;
    notes.push({ path: urlPath(rel), ...codeBlocks(html) });
  }
  return notes;
}

/* The search page is ready once its status line says something other than
   "loading" (a result count, or no results). */
function searchReady() {
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-page-results");
  if (!status || !list) return true;
  const text = status.textContent.trim();
  return text !== "" && text !== status.getAttribute("data-loading");
}

/* A page setup that types `query` into the header's search box and selects
   the second result. */
function openDropdown(query) {
  return async (page) => {
    // The whole query in one input event: typed key by key, a later
    // keystroke's results would replace the list after the selection.
    await page.focus("#search-input");
    await page.$eval("#search-input", (el, q) => {
      el.value = q;
      el.dispatchEvent(new Event("input", { bubbles: true }));
    }, query);
    await page.waitForSelector("#search-listbox [role=option]", { timeout: 20000 });
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.waitForSelector("#search-listbox [aria-selected=true]", { timeout: 5000 });
  };
}

/* The pages to check. `note` overrides the automatic choice of the long note
   (the note with the most code blocks). */
export function chooseTargets(site, { note, query }) {
  const notes = notePages(site);
  const byCode = [...notes].sort((a, b) => (b.plain + b.highlighted) - (a.plain + a.highlighted) || a.path.localeCompare(b.path));
  const longNote = note || (byCode[0] && byCode[0].path);
  if (!longNote) throw new Error(`no note page found in ${site}`);
  const search = "/search/?q=" + encodeURIComponent(query);
  const pages = [
    { name: "home", path: "/" },
    { name: "note", path: longNote },
    { name: "topics", path: "/topics/" },
    { name: "index", path: "/index/" },
    { name: "search", path: search, ready: searchReady },
  ];
  // The search box's dropdown open on the note, a result selected: typed
  // keys load the script, the listbox fills, ArrowDown selects.
  pages.push({ name: "dropdown", path: longNote, setup: openDropdown(query) });
  // Beyond the five: one page of each other kind a site has.
  for (const kind of ["folder", "topic", "404"]) {
    const p = firstOfKind(site, kind);
    if (p) pages.push({ name: kind, path: p });
  }
  // Contrast: the long note, plus the first note mixing both kinds of block
  // when the long note does not.
  const code = [{ name: "note", path: longNote }];
  const long = notes.find((n) => n.path === longNote);
  if (!long || !(long.plain && long.highlighted)) {
    const mixed = byCode.find((n) => n.plain && n.highlighted);
    if (mixed) code.push({ name: "mixed-note", path: mixed.path });
  }
  // Then every note with code, pooled, in light and system dark: other
  // languages bring other token colours.
  const withCode = notes.filter((n) => n.plain + n.highlighted > 0).map((n) => n.path);
  if (withCode.length > 1) code.push({ name: "all-code-notes", paths: withCode, modes: ["light", "dark-os"] });
  const lighthouse = [{ name: "home", path: "/" }, { name: "note", path: longNote }];
  return { pages, code, lighthouse, notes: notes.length };
}
