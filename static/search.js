/* biji search: the query side of the index that `biji build` writes under
 * search/. Plain JavaScript, no dependencies. The tokenizer mirrors
 * src/search/mod.rs rule for rule (a test runs both on the same strings), so
 * a query is cut exactly as the notes were and can never miss a note that
 * contains it. The engine is also usable from a site's own scripts as
 * `BijiSearch` (see README: Search). */
(function (global) {
  "use strict";

  var FORMAT = 5;
  var MAX_WORD = 64;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;
  var TF = [1, 2, 3, 4, 6, 9, 15, 25];
  var WORD = /[\p{Alphabetic}\p{N}\p{M}_]/u;
  var UPPER = /\p{Uppercase}/u;
  var LOWER = /\p{Lowercase}/u;
  var NUM = /\p{N}/u;
  // Han, Kana, Hangul, Bopomofo: the same ranges as `is_cjk` in Rust.
  var CJK = [
    [0x1100, 0x11ff], [0x2e80, 0x2fdf], [0x3005, 0x3007], [0x3021, 0x3029],
    [0x3031, 0x3035], [0x3038, 0x303c], [0x3041, 0x30fa], [0x30fc, 0x30ff],
    [0x3105, 0x312f], [0x3131, 0x318e], [0x31a0, 0x31bf], [0x31f0, 0x31ff],
    [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa960, 0xa97f], [0xac00, 0xd7af],
    [0xd7b0, 0xd7ff], [0xf900, 0xfaff], [0xff66, 0xff9f], [0xffa0, 0xffdc],
    [0x1b000, 0x1b16f], [0x20000, 0x323af]
  ];

  function isCjk(cp) {
    if (cp < 0x1100) return false;
    for (var i = 0; i < CJK.length; i++) {
      if (cp >= CJK[i][0] && cp <= CJK[i][1]) return true;
    }
    return false;
  }

  /* Character by character, like Rust's char::to_lowercase (no final-sigma rule). */
  function lower(s) {
    var out = "";
    for (var ch of s) out += ch.toLowerCase();
    return out;
  }

  function lowerCapped(s) {
    var l = Array.from(lower(s));
    return l.length > MAX_WORD ? l.slice(0, MAX_WORD).join("") : l.join("");
  }

  /* `parseHTTPResponse2` -> parse, HTTP, Response2; also split at `_`. */
  function identifierParts(word) {
    var parts = [];
    word.split("_").forEach(function (piece) {
      var chars = Array.from(piece);
      var start = 0;
      for (var k = 1; k < chars.length; k++) {
        var cur = chars[k], prev = chars[k - 1];
        var nextLower = k + 1 < chars.length && LOWER.test(chars[k + 1]);
        if (UPPER.test(cur) &&
            (LOWER.test(prev) || NUM.test(prev) || (UPPER.test(prev) && nextLower))) {
          parts.push(chars.slice(start, k).join(""));
          start = k;
        }
      }
      parts.push(chars.slice(start).join(""));
    });
    return parts.filter(function (p) { return p !== ""; });
  }

  /* Splits NFKC-normalized text into runs: onWord(word) for letters, digits,
   * marks and `_`; onCjk(chars) for Han/Kana/Hangul; the rest separates. */
  function scan(text, onWord, onCjk) {
    var s = String(text).normalize("NFKC");
    var cjk = [];
    var word = null;
    for (var ch of s) {
      if (isCjk(ch.codePointAt(0))) {
        if (word !== null) { onWord(word); word = null; }
        cjk.push(ch);
      } else if (WORD.test(ch)) {
        if (cjk.length) { onCjk(cjk); cjk = []; }
        word = word === null ? ch : word + ch;
      } else {
        if (word !== null) { onWord(word); word = null; }
        if (cjk.length) { onCjk(cjk); cjk = []; }
      }
    }
    if (word !== null) onWord(word);
    if (cjk.length) onCjk(cjk);
  }

  /* Symbols as typed (`c++`, `node.js`, `.net`, `-rf`): every run of one to
   * MAX_PIECES pieces of a chunk (word characters and the connectors
   * . : - + #), whole when it has a connector inside, with the connector before
   * it when that is `.` (or `-`/`--` at the chunk's start), with the one after
   * it when that is only `+`/`#`. Mirrors src/search/sym.rs. */
  var MAX_PIECES = 4;
  var CONNECTOR = /[.:\-+#]/;

  function chunkSyms(chunk, out) {
    if (!CONNECTOR.test(chunk)) return;
    var runs = [];
    for (var ch of chunk) {
      var word = !CONNECTOR.test(ch);
      var last = runs[runs.length - 1];
      if (last && last.word === word) last.text += ch; else runs.push({ word: word, text: ch });
    }
    var pieces = [];
    runs.forEach(function (r, k) { if (r.word) pieces.push(k); });
    function join(a, b) {
      var t = "";
      for (var k = a; k <= b; k++) t += runs[k].text;
      return t;
    }
    function emit(t) { if (Array.from(t).length <= MAX_WORD) out.push(lowerCapped(t)); }
    pieces.forEach(function (first, a) {
      var before = first > 0 ? runs[first - 1].text : null;
      var lead = before === "." || (first === 1 && (before === "-" || before === "--"));
      for (var e = a; e < Math.min(a + MAX_PIECES, pieces.length); e++) {
        var last = pieces[e];
        if (last > first) emit(join(first, last));
        if (lead) emit(join(first - 1, last));
        if (last + 1 < runs.length && /^[+#]+$/.test(runs[last + 1].text)) emit(join(first, last + 1));
      }
    });
  }

  /* The chunks of NFKC-normalized text: runs of word characters and connectors. */
  function chunks(s) {
    var out = [], chunk = "";
    for (var ch of s) {
      if (!isCjk(ch.codePointAt(0)) && (CONNECTOR.test(ch) || WORD.test(ch))) { chunk += ch; continue; }
      if (chunk) out.push(chunk);
      chunk = "";
    }
    if (chunk) out.push(chunk);
    return out;
  }

  /* The symbols of NFKC-normalized text, in order. */
  function syms(s) {
    var out = [];
    chunks(s).forEach(function (c) { chunkSyms(c, out); });
    return out;
  }

  /* Every token of `text` in order, as {kind, text}; kind is word, part, uni,
   * bi or sym. */
  function tokenize(text) {
    var out = [];
    scan(text, function (word) {
      if (/^_*$/.test(word)) return;
      var whole = lowerCapped(word);
      out.push({ kind: "word", text: whole });
      var parts = identifierParts(word);
      if (parts.length > 1 || (parts.length === 1 && lowerCapped(parts[0]) !== whole)) {
        parts.forEach(function (p) { out.push({ kind: "part", text: lowerCapped(p) }); });
      }
    }, function (run) {
      for (var i = 0; i < run.length; i++) {
        var c = run[i].toLowerCase();
        out.push({ kind: "uni", text: c });
        if (i + 1 < run.length) out.push({ kind: "bi", text: c + run[i + 1].toLowerCase() });
      }
    });
    syms(String(text).normalize("NFKC")).forEach(function (t) { out.push({ kind: "sym", text: t }); });
    return out;
  }

  /* What a query asks for:
   * - terms, every one of which a note must have (AND): each word (the
   *   last one, while it is typed, as a prefix from two characters on, so
   *   `asyn` finds `asyncio`), each CJK bigram, or a lone CJK character;
   * - syms, the symbols typed (`c++`, `node.js`), which an exact match has
   *   as index terms (the last one as a prefix, while it is being typed);
   * - phrases, the CJK runs of three or more characters, which an exact match
   *   has whole: bigrams alone also match notes with the pieces apart, so
   *   these are checked in the note's text (see Results);
   * - needles, the pieces to mark in snippets and pages. */
  function parseQuery(query) {
    var terms = [], syms = [], phrases = [], needles = [];
    var seen = {};
    function add(term, prefix) {
      var key = (prefix ? "*" : "=") + term;
      if (seen[key] || (!prefix && seen["*" + term])) return;
      seen[key] = true;
      terms.push({ term: term, prefix: prefix });
    }
    var normalized = String(query).normalize("NFKC");
    var typing = !/\s$/.test(normalized);
    var pieces = [];
    scan(query, function (word) {
      if (!/^_*$/.test(word)) pieces.push({ word: lowerCapped(word) });
    }, function (run) {
      pieces.push({ chars: run.map(function (c) { return c.toLowerCase(); }) });
    });
    pieces.forEach(function (p, k) {
      if (p.word !== undefined) {
        // Only the word being typed is a prefix (`asyn` -> `asyncio`); one
        // followed by more was typed whole, and a prefix reads every term
        // it begins.
        add(p.word, typing && k === pieces.length - 1 && Array.from(p.word).length >= 2);
        needles.push({ text: p.word, word: true });
        return;
      }
      var chars = p.chars;
      if (chars.length === 1) add(chars[0], false);
      for (var i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1], false);
      if (chars.length > 2) phrases.push(chars.join(""));
      needles.push({ text: chars.join(""), word: false, chars: chars });
    });
    // The whole symbols typed, not the pieces a longer chunk also gives.
    wholeSyms(normalized).forEach(function (t, k, all) {
      if (syms.some(function (x) { return x.term === t; })) return;
      syms.push({ term: t, prefix: typing && k === all.length - 1 && Array.from(t).length >= 2 });
      needles.push({ text: t, word: true });
    });
    return { terms: terms, syms: syms, phrases: phrases, needles: needles, text: String(query).trim() };
  }

  /* The symbol each chunk of a query is as a whole (`std::vector` of
   * `std::vector<int>`), when it has one: the longest of its symbols. */
  function wholeSyms(s) {
    var out = [];
    chunks(s).forEach(function (c) {
      var found = [], best = "";
      chunkSyms(c, found);
      found.forEach(function (t) { if (Array.from(t).length > Array.from(best).length) best = t; });
      if (best) out.push(best);
    });
    return out;
  }

  function normalizeText(s) {
    return lower(String(s).normalize("NFKC")).replace(/\s+/g, " ");
  }

  /* Varints in the index alphabet, each split into a doc number (kept as
   * the gap from the previous one, above the low `bits`) and its low bits:
   * each(doc, low). */
  function decodeVarints(str, bits, each) {
    var doc = -1, v = 0, scale = 1, size = 1 << bits;
    for (var i = 0; i < str.length; i++) {
      var d = DIGIT[str.charCodeAt(i)];
      if (d >= 32) {
        v += (d - 32) * scale;
        scale *= 32;
      } else {
        v += d * scale;
        doc += Math.floor(v / size) + 1;
        each(doc, v % size);
        v = 0;
        scale = 1;
      }
    }
  }

  /* A term's postings: `(doc gap << 5) | (impact << 2) | flags`. */
  function decodePostings(str, each) { decodeVarints(str, 5, each); }

  function parseShard(text) {
    var terms = [], lists = [];
    var lines = text.split("\n");
    for (var i = 0; i < lines.length; i++) {
      var tab = lines[i].indexOf("\t");
      if (tab < 0) continue;
      terms.push(lines[i].slice(0, tab));
      lists.push(lines[i].slice(tab + 1));
    }
    return { terms: terms, lists: lists };
  }

  /* First index i with arr[i] >= key (UTF-16 order, as the index is sorted). */
  function lowerBound(arr, key) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* The search index of a site whose base path (or full URL) is `base`.
   * options.fetch replaces the global fetch (e.g. to count bytes). */
  function Index(base, options) {
    this.base = String(base || "/").replace(/\/?$/, "/");
    this.fetchImpl = (options && options.fetch) || function (u, i) { return fetch(u, i); };
    this.metaPromise = null;
    this.files = {};
  }

  Index.prototype.get = function (url, init, as) {
    return this.fetchImpl(url, init).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return as === "json" ? r.json() : r.text();
    });
  };

  /* A gzip file of the index as text. A server that sends it with
   * Content-Encoding: gzip has inflated it already: check the magic bytes. */
  Index.prototype.getGz = function (url) {
    return this.fetchImpl(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.arrayBuffer();
    }).then(function (buf) {
      var b = new Uint8Array(buf);
      if (b[0] !== 0x1f || b[1] !== 0x8b) return new TextDecoder().decode(b);
      var stream = new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text();
    });
  };

  /* A content-named file under search/ (`t/<name>`), parsed, fetched once. */
  Index.prototype.file = function (path, parse) {
    var self = this;
    if (!this.files[path]) {
      this.files[path] = this.getGz(this.base + "search/" + path + ".gz").then(parse);
      this.files[path].catch(function () { delete self.files[path]; });
    }
    return this.files[path];
  };

  Index.prototype.meta = function () {
    var self = this;
    if (!this.metaPromise) {
      // Revalidated: it names the content-hashed files of the current build.
      this.metaPromise = this.get(this.base + "search/meta.json", { cache: "no-cache" }, "json")
        .then(function (m) {
          if (m.format !== FORMAT) throw new Error("search index format " + m.format + " (expected " + FORMAT + ")");
          m.tfirst = m.tdirs.map(function (d) { return d[0]; });
          return m;
        });
      this.metaPromise.catch(function () { self.metaPromise = null; });
    }
    return this.metaPromise;
  };

  /* The indexes [lo, hi] of `firsts` (sorted first terms) whose files can
   * hold `term`, or for a prefix any term starting with it. */
  function firstRange(firsts, term, prefix) {
    var lo = lowerBound(firsts, term);
    if (lo === firsts.length || firsts[lo] !== term) lo = Math.max(0, lo - 1);
    var hi = lo;
    if (prefix) {
      while (hi + 1 < firsts.length && firsts[hi + 1].lastIndexOf(term, 0) === 0) hi++;
    }
    return [lo, hi];
  }

  /* Every index line for `t` (the term itself, or all terms it begins when
   * t.prefix) as {term, list}: through the term directories to the shards. */
  Index.prototype.lines = function (meta, t) {
    var self = this;
    if (!meta.tdirs.length) return Promise.resolve([]);
    var r = firstRange(meta.tfirst, t.term, t.prefix), dirs = [];
    for (var i = r[0]; i <= r[1]; i++) dirs.push(this.file("t/" + meta.tdirs[i][1], JSON.parse));
    return Promise.all(dirs).then(function (list) {
      var first = [], files = [];
      list.forEach(function (d) { first = first.concat(d.first); files = files.concat(d.files); });
      var rr = firstRange(first, t.term, t.prefix), shards = [];
      for (var k = rr[0]; k <= rr[1]; k++) shards.push(self.file("t/" + files[k], parseShard));
      return Promise.all(shards);
    }).then(function (shards) {
      var out = [];
      shards.forEach(function (sh) {
        for (var j = lowerBound(sh.terms, t.term); j < sh.terms.length; j++) {
          var term = sh.terms[j];
          if (term === t.term) out.push({ term: term, list: sh.lists[j] });
          else if (t.prefix && term.lastIndexOf(t.term, 0) === 0) out.push({ term: term, list: sh.lists[j] });
          else break;
        }
      });
      return out;
    });
  };

  /* A dense term's line (`notes<TAB>marked`, see dense_line in
   * src/search/line.rs) as the postings decodePostings gives: step 6 for
   * the high ones, 3 for the rest. The notes with the term: `*` and a
   * bitmap, six notes to a character; `!` and the notes without it; `~` and
   * the notes with it (gaps). Then the marked ones, by place among those:
   * `gap << 3 | high << 2 | flags`. */
  function decodeDense(str, n, each) {
    var tab = str.indexOf("\t"), kind = str.charAt(0);
    var has = new Uint8Array(n);
    if (kind === "*") {
      for (var i = 1; i < tab; i++) {
        var bits = DIGIT[str.charCodeAt(i)], at = (i - 1) * 6;
        for (var b = 0; b < 6 && at + b < n; b++) if (bits >> b & 1) has[at + b] = 1;
      }
    } else {
      var present = kind === "~";
      if (!present) has.fill(1);
      decodeVarints(str.slice(1, tab), 0, function (doc) { if (doc < n) has[doc] = present ? 1 : 0; });
    }
    var docs = [];
    for (var k = 0; k < n; k++) if (has[k]) docs.push(k);
    var marks = new Uint8Array(docs.length).fill(3 << 2);
    decodeVarints(str.slice(tab + 1), 3, function (place, v) {
      if (place < marks.length) marks[place] = (v & 4 ? 6 << 2 : 3 << 2) | (v & 3);
    });
    for (var p = 0; p < docs.length; p++) each(docs[p], marks[p]);
  }

  /* BM25 per note for one query term, the best of its prefix matches: the
   * index stores each posting's term-frequency weight in 7 steps of
   * (k1 + 1) / 7, with boosts for a title or heading hit. */
  function scoreLines(meta, t, lines) {
    var scores = new Map(), n = meta.docs, step = (1.2 + 1) / 7;
    lines.forEach(function (line) {
      var docs = [], bits = [];
      var take = function (doc, v) { docs.push(doc); bits.push(v); };
      var c = line.list.charAt(0);
      if (c === "!" || c === "~" || c === "*") decodeDense(line.list, n, take);
      else decodePostings(line.list, take);
      var idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      var weight = line.term === t.term ? 1 : 0.8;
      for (var p = 0; p < docs.length; p++) {
        var s = idf * (bits[p] >> 2) * step;
        if (bits[p] & 1) s += idf * 2;
        if (bits[p] & 2) s += idf * 0.6;
        s *= weight;
        var prev = scores.get(docs[p]);
        if (prev === undefined || s > prev) scores.set(docs[p], s);
      }
    });
    return scores;
  }

  /* Runs a query: the notes that have every query term, best first, as
   * {doc, score, exact}. exact is false for a note without a typed symbol,
   * true when it is known to match exactly, undefined when a phrase still
   * has to be checked in its text. Resolves to {query, hits, checked}
   * (checked: every hit's exact is known). */
  Index.prototype.search = function (query) {
    var self = this;
    var q = parseQuery(query);
    if (!q.terms.length) return Promise.resolve({ query: q, hits: [], checked: true });
    return this.meta().then(function (meta) {
      // Symbols are index terms under a `#` (see SYM_MARK in src/search/part.rs).
      var all = q.terms.concat(q.syms.map(function (t) { return { term: "#" + t.term, prefix: t.prefix }; }));
      return Promise.all(all.map(function (t) { return self.lines(meta, t); })).then(function (lines) {
        var scores = all.map(function (t, k) { return scoreLines(meta, t, lines[k]); });
        var need = scores.slice(0, q.terms.length), sym = scores.slice(q.terms.length);
        need.sort(function (x, y) { return x.size - y.size; });
        var hits = [];
        need[0].forEach(function (score, doc) {
          var total = score;
          for (var k = 1; k < need.length; k++) {
            var s = need[k].get(doc);
            if (s === undefined) return;
            total += s;
          }
          var exact = true;
          sym.forEach(function (m) {
            var s = m.get(doc);
            if (s === undefined) exact = false; else total += s;
          });
          if (exact && q.phrases.length) exact = undefined;
          hits.push({ doc: doc, score: total, exact: exact });
        });
        hits.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
        return { query: q, hits: hits, checked: !q.phrases.length };
      });
    });
  };

  /* The text file of note `doc` (which has its title and URL): through its
   * doc directory to its chunk. */
  Index.prototype.doc = function (doc) {
    var self = this;
    return this.meta().then(function (meta) {
      var c = Math.floor(doc / meta.chunk);
      return self.file("d/" + meta.ddirs[Math.floor(c / meta.dir)], JSON.parse).then(function (dir) {
        return self.file("d/" + dir[c % meta.dir], JSON.parse);
      }).then(function (list) {
        return { text: list[doc % meta.chunk] };
      });
    });
  };

  /* ---------- Snippets: from the note's text file, cut at its headings ---------- */

  function hasTerm(tokens, t) {
    if (tokens.has(t.term)) return true;
    if (!t.prefix) return false;
    var found = false;
    tokens.forEach(function (x) { if (!found && x.lastIndexOf(t.term, 0) === 0) found = true; });
    return found;
  }

  function isWordChar(ch) {
    return ch !== undefined && WORD.test(ch) && !isCjk(ch.codePointAt(0));
  }

  /* Where the query's words and CJK runs occur in `text`, as [start, end)
   * ranges; a CJK run not found whole is looked for by its bigrams, unless `whole`. */
  function matchRanges(text, needles, whole) {
    var norm = "", starts = [], pos = 0;
    for (var ch of text) {
      var n = lower(ch.normalize("NFKC"));
      for (var k = 0; k < n.length; k++) starts.push(pos);
      norm += n;
      pos += ch.length;
    }
    starts.push(text.length);
    var ranges = [];
    function find(needle, word) {
      var found = false, from = 0, at;
      while (needle && (at = norm.indexOf(needle, from)) >= 0) {
        from = at + needle.length;
        if (word && isWordChar(norm[at - 1])) continue;
        ranges.push([starts[at], starts[Math.min(at + needle.length, starts.length - 1)]]);
        found = true;
      }
      return found;
    }
    needles.forEach(function (nd) {
      if (nd.word) {
        if (!find(nd.text, true)) find(nd.text, false);
      } else if (!find(nd.text, false) && nd.chars.length > 1 && !whole) {
        for (var i = 0; i + 1 < nd.chars.length; i++) find(nd.chars[i] + nd.chars[i + 1], false);
      }
    });
    ranges.sort(function (x, y) { return x[0] - y[0] || y[1] - x[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* About `size` characters of `text` around its first match, matches in <mark>. */
  function snippetHtml(text, ranges, size) {
    var start = 0;
    if (ranges.length) start = Math.max(0, ranges[0][0] - Math.floor(size / 3));
    var end = Math.min(text.length, start + size);
    if (end - start < size) start = Math.max(0, end - size);
    // Do not cut a surrogate pair.
    if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start--;
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1])) end++;
    var out = start > 0 ? "…" : "";
    var at = start;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], start), b = Math.min(r[1], end);
      if (a >= b) return;
      out += escapeHtml(text.slice(at, a)) + "<mark>" + escapeHtml(text.slice(a, b)) + "</mark>";
      at = b;
    });
    out += escapeHtml(text.slice(at, end));
    if (end < text.length) out += "…";
    return out;
  }

  /* Title, URL (to the best section's heading), heading and snippet for a
   * hit, from its text file, and whether it matches exactly: a hit whose
   * phrases are unchecked is checked here, in its text (its title, headings
   * and text as a reader sees them, each phrase whole somewhere). */
  Index.prototype.details = function (hit, q) {
    var self = this;
    return this.doc(hit.doc).then(function (info) {
      return self.file("s/" + info.text, JSON.parse);
    }).then(function (raw) {
      // [title, URL, [[heading id, heading, text], ...]]
      var info = { title: raw[0], url: raw[1] };
      var result = { doc: hit.doc, score: hit.score, title: info.title, url: info.url, heading: "", snippet: "", exact: hit.exact, query: q.text };
      var sections = raw[2].map(function (s) { return { id: s[0], heading: s[1], text: s[2] }; });
      var norm = sections.map(function (s) { return { text: normalizeText(s.text), heading: normalizeText(s.heading) }; });
      var title = normalizeText(info.title);
      if (result.exact === undefined) {
        result.exact = q.phrases.every(function (p) {
          return title.indexOf(p) >= 0 || norm.some(function (n) { return n.text.indexOf(p) >= 0 || n.heading.indexOf(p) >= 0; });
        });
      }
      // The section with the whole phrases, then the most query terms, in
      // its text (then in its heading) wins.
      var best = -1, bestScore = -1;
      var words = function (t) { return new Set(tokenize(t).map(function (x) { return x.text; })); };
      sections.forEach(function (s, i) {
        var body = words(s.text), head = words(s.heading), score = 0;
        q.terms.concat(q.syms).forEach(function (t) {
          if (hasTerm(body, t)) score += 10;
          if (hasTerm(head, t)) score += 4;
        });
        q.phrases.forEach(function (p) {
          if (norm[i].text.indexOf(p) >= 0) score += 20;
          if (norm[i].heading.indexOf(p) >= 0) score += 6;
        });
        if (score > bestScore) { best = i; bestScore = score; }
      });
      if (best < 0) return result;
      var sec = sections[best];
      if (sec.id) {
        result.url = info.url + "#" + encodeURIComponent(sec.id);
        // The note's own title heading says nothing the title does not.
        if (normalizeText(sec.heading) !== title) result.heading = sec.heading;
      }
      // A heading with no text of its own: show the text that follows it.
      var text = sec.text || (sections[best + 1] ? sections[best + 1].text : "");
      result.snippet = snippetHtml(text, matchRanges(text, q.needles, false), 150);
      return result;
    });
  };


  /* The results of a search in the order a reader sees them: the exact
   * matches best first, then the partial ones (a typed symbol missing, or a
   * phrase's characters only apart), each {..., partial: true}. Unchecked
   * hits are checked in rank order as pages are asked for, so a page costs
   * about its own notes' texts. */
  function Results(index, res) {
    this.index = index;
    this.res = res;
    this.at = 0; // the next hit to look at
    this.exact = []; // details of exact matches found but not shown
    this.partial = []; // {hit, details} of partial matches, shown after all exact ones
    this.found = 0; // exact matches found, shown or not
    this.shownPartial = 0;
    if (res.checked) this.found = res.hits.filter(function (h) { return h.exact; }).length;
  }

  /* Every hit has been looked at: the counts are exact. */
  Results.prototype.done = function () { return this.at >= this.res.hits.length; };

  /* The number of exact matches, and of partial ones: {exact, partial, about}.
   * Until every hit is checked, the exact count is estimated from those
   * checked so far (about: true) and the partial one is null. */
  Results.prototype.count = function () {
    var total = this.res.hits.length;
    if (this.res.checked) return { exact: this.found, partial: total - this.found, about: false };
    if (this.done()) return { exact: this.found, partial: this.partial.length, about: false };
    var looked = this.found + this.partial.length;
    var est = this.found + Math.round((total - looked) * this.found / Math.max(1, looked));
    return { exact: est, partial: null, about: true };
  };

  /* Whether next() has more to give. */
  Results.prototype.more = function () {
    return this.exact.length > 0 || !this.done() || this.shownPartial < this.partial.length;
  };

  /* The next `n` results. At most 1.5n (and 8) texts are checked per call,
   * so a page costs about its own notes' texts: a page may come back short
   * while more() is still true. */
  Results.prototype.next = function (n) {
    var self = this, hits = this.res.hits, q = this.res.query;
    var budget = Math.max(Math.ceil(1.5 * n), 8);
    function fill() {
      if (self.exact.length >= n || self.done() || budget <= 0) return Promise.resolve();
      var batch = [];
      while (batch.length < Math.min(n - self.exact.length, 64, budget) && !self.done()) {
        var h = hits[self.at++];
        if (h.exact === false) self.partial.push({ hit: h });
        else batch.push(h);
      }
      budget -= batch.length;
      return Promise.all(batch.map(function (h) { return self.index.details(h, q); })).then(function (list) {
        list.forEach(function (d, k) {
          if (d.exact) {
            if (!self.res.checked) self.found++;
            self.exact.push(d);
          } else {
            self.partial.push({ hit: batch[k], details: d });
          }
        });
        return fill();
      });
    }
    return fill().then(function () {
      var out = self.exact.splice(0, n);
      if (out.length >= n || !self.done()) return out;
      var more = self.partial.slice(self.shownPartial, self.shownPartial + n - out.length);
      self.shownPartial += more.length;
      return Promise.all(more.map(function (p) { return p.details || self.index.details(p.hit, q); })).then(function (list) {
        list.forEach(function (d) { d.partial = true; });
        return out.concat(list);
      });
    });
  };

  /* The results of `res` (from search()), a page at a time. */
  Index.prototype.results = function (res) { return new Results(this, res); };

  /* ---------- The search box and the results page ---------- */

  /* A result's URL with `?highlight=QUERY` before its #section: the page
   * marks the query's words when it opens (see highlightPage). */
  function highlightUrl(url, query) {
    if (!query) return url;
    var hash = url.indexOf("#");
    var path = hash < 0 ? url : url.slice(0, hash);
    return path + (path.indexOf("?") < 0 ? "?" : "&") + "highlight=" + encodeURIComponent(query) +
      (hash < 0 ? "" : url.slice(hash));
  }

  /* A result's link: an option of the box's listbox when it has an `id`, a
   * plain link in the results page's list (a list of links, not a listbox:
   * Tab and a screen reader's list and link keys already walk it). */
  function hitHtml(d, id) {
    return '<a class="search-hit"' + (id ? ' role="option" aria-selected="false" tabindex="-1" id="' + id + '"' : "") +
      ' href="' + escapeHtml(highlightUrl(d.url, d.query)) + '">' +
      '<span class="search-hit-title">' + escapeHtml(d.title) + "</span>" +
      (d.heading ? '<span class="search-hit-heading">' + escapeHtml(d.heading) + "</span>" : "") +
      (d.snippet ? '<span class="search-hit-snippet">' + d.snippet + "</span>" : "") + "</a>";
  }

  /* "12", "about 12", or "2 + 8 partial" as the words of `text` say. */
  function countText(c, text) {
    var n = (c.about ? text("about") : "{n}").replace("{n}", c.exact);
    if (c.partial) n += " + " + text("partial-count").replace("{n}", c.partial);
    return n;
  }

  /* The box's options for `list`. A listbox may hold only options and
   * groups, so partial matches are a group named by its visible label (kept
   * out of the tree itself), and the exact ones before it a group too. */
  function optionsHtml(list, text) {
    var exact = "", partial = "";
    list.forEach(function (d, i) {
      if (d.partial) partial += hitHtml(d, "search-opt-" + i);
      else exact += hitHtml(d, "search-opt-" + i);
    });
    if (!partial) return exact;
    return (exact ? '<div class="search-group" role="group" aria-label="' + escapeHtml(text("exact")) + '">' +
      exact + "</div>" : "") +
      '<div class="search-group" role="group" aria-labelledby="search-sep-partial">' +
      '<p class="search-sep" id="search-sep-partial" aria-hidden="true">' + escapeHtml(text("partial")) + "</p>" +
      partial + "</div>";
  }

  /* The header box's view: a combobox (the input) whose popup holds a status
   * line, the listbox of results and the key hints. */
  function boxView(form) {
    var popup = form.querySelector(".search-dropdown");
    var v = {
      input: form.querySelector("input[name=q]"),
      popup: popup,
      listbox: popup && popup.querySelector("[role=listbox]"),
      status: popup && popup.querySelector(".search-message"),
      active: -1
    };
    if (!v.input || !v.listbox || !v.status) return null;
    v.options = function () { return v.listbox.querySelectorAll("[role=option]"); };
    v.select = function (i) {
      var opts = v.options();
      if (!opts.length) return;
      v.active = (i + opts.length) % opts.length;
      opts.forEach(function (o, k) { o.setAttribute("aria-selected", k === v.active ? "true" : "false"); });
      v.input.setAttribute("aria-activedescendant", opts[v.active].id);
      opts[v.active].scrollIntoView({ block: "nearest" });
    };
    v.selected = function () { return v.active >= 0 ? v.options()[v.active] : null; };
    v.unselect = function () {
      v.active = -1;
      v.input.removeAttribute("aria-activedescendant");
    };
    /* Opens the popup; aria-expanded says whether its listbox has options. */
    v.reopen = function () {
      popup.hidden = false;
      v.input.setAttribute("aria-expanded", v.options().length ? "true" : "false");
    };
    v.show = function (html, message) {
      v.listbox.innerHTML = html;
      v.listbox.hidden = !html;
      v.status.textContent = message || "";
      v.unselect();
      v.reopen();
    };
    v.close = function () {
      popup.hidden = true;
      v.unselect();
      v.input.setAttribute("aria-expanded", "false");
    };
    return v;
  }

  /* The header box's behaviour. The `/` and Ctrl-K keys, and loading this
   * script on first use, are biji.js's. */
  function initBox(form, index) {
    var v = boxView(form);
    if (!v) return;
    var input = v.input;
    var text = function (k) { return form.getAttribute("data-" + k) || ""; };
    var seq = 0, timer = null;
    var resultsUrl = function (q) { return index.base + "search/?q=" + encodeURIComponent(q); };

    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q) { v.close(); return; }
      index.search(q).then(function (res) {
        if (mine !== seq) return null;
        if (!res.hits.length) { v.show("", text("no-results")); return null; }
        var results = index.results(res);
        return results.next(8).then(function (list) {
          if (mine !== seq) return;
          // None exact among the first candidates checked: the results page goes on.
          var m = list.length ? "" : text(results.more() ? "checking" : "no-results");
          v.show(optionsHtml(list, text) + '<a class="search-all" role="option" aria-selected="false" tabindex="-1" id="search-opt-all" href="' +
            escapeHtml(resultsUrl(q)) + '">' + escapeHtml(text("all")) + " (" + countText(results.count(), text) + ")</a>", m);
        });
      }).catch(function (e) {
        if (mine === seq) v.show("", text("error") + ": " + e.message);
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    });
    input.addEventListener("focus", function () {
      index.meta().catch(function () {});
      if (input.value.trim() && (v.options().length || v.status.textContent)) v.reopen();
    });
    input.addEventListener("keydown", function (e) {
      if (e.isComposing) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!v.options().length) return;
        e.preventDefault();
        if (v.popup.hidden) v.reopen();
        else v.select(v.active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        e.preventDefault();
        var chosen = v.selected();
        if (chosen) window.location.href = chosen.href;
        else if (input.value.trim()) window.location.href = resultsUrl(input.value.trim());
      } else if (e.key === "Escape") {
        // Close the list; with it closed, clear the box; with that empty, leave it.
        e.preventDefault();
        if (!v.popup.hidden) v.close();
        else if (input.value) { clearTimeout(timer); seq++; input.value = ""; v.show("", ""); v.close(); }
        else input.blur();
      }
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) v.close();
    });
    form.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !form.contains(e.relatedTarget)) v.close();
    });
    // Loaded on demand: the reader may be in the box already, and have typed.
    if (document.activeElement === input) {
      index.meta().catch(function () {});
      if (input.value.trim()) run();
    }
  }

  function initPage(list, index) {
    var status = document.getElementById("search-status");
    var input = document.getElementById("search-page-input");
    var more = document.getElementById("search-more");
    var text = function (k) { return (status && status.getAttribute("data-" + k)) || ""; };
    var PAGE = 20, seq = 0, results = null, partialList = null, timer = null;

    function say(m) { if (status) status.textContent = m; }
    function sayCount() {
      var c = results.count();
      if (!c.exact && c.partial === 0) { say(text("no-results")); return; }
      var m = (c.about ? text("count-about") : text("count")).replace("{n}", c.exact);
      if (c.partial) m += text("partial-more").replace("{n}", c.partial);
      say(m);
    }
    /* Partial matches go in their own list, under a heading that says what they are. */
    function partialTarget() {
      if (!partialList) {
        var h = document.createElement("h2");
        h.className = "search-partial-heading";
        h.textContent = text("partial");
        partialList = document.createElement("ol");
        partialList.className = "search-page-results search-partial";
        list.parentNode.insertBefore(partialList, list.nextSibling);
        list.parentNode.insertBefore(h, partialList);
      }
      return partialList;
    }
    function showMore() {
      var mine = seq;
      if (more) more.hidden = true;
      return results.next(PAGE).then(function (items) {
        if (mine !== seq) return;
        items.forEach(function (d) {
          (d.partial ? partialTarget() : list).insertAdjacentHTML("beforeend", "<li>" + hitHtml(d) + "</li>");
        });
        sayCount();
        if (more) more.hidden = !results.more();
      });
    }
    function run(q) {
      var mine = ++seq;
      list.innerHTML = "";
      if (partialList) {
        partialList.previousSibling.remove();
        partialList.remove();
        partialList = null;
      }
      if (more) more.hidden = true;
      if (!q) { say(""); return; }
      say(text("loading"));
      index.search(q).then(function (res) {
        if (mine !== seq) return null;
        results = index.results(res);
        if (!res.hits.length) { say(text("no-results")); return null; }
        return showMore();
      }).catch(function (e) {
        if (mine === seq) say(text("error") + ": " + e.message);
      });
    }
    var q = new URLSearchParams(window.location.search).get("q") || "";
    if (input) {
      input.value = q;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var v = input.value.trim();
          history.replaceState(null, "", v ? "?q=" + encodeURIComponent(v) : window.location.pathname);
          run(v);
        }, 150);
      });
    }
    if (more) more.addEventListener("click", showMore);
    run(q.trim());
  }

  /* Opened from a search result (`?highlight=QUERY`): marks the query's words
   * in the page's text, as the result's snippet did, scrolls to the first one
   * unless the URL names a section, and drops the parameter from the address
   * (a reload or a shared link shows the page plain). */
  function highlightPage() {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("highlight");
    if (query === null) return;
    params.delete("highlight");
    var rest = params.toString();
    history.replaceState(history.state, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
    var needles = parseQuery(query).needles;
    if (!needles.length) return;
    var nodes = [];
    document.querySelectorAll(".content").forEach(function (root) {
      var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: function (n) {
          var p = n.parentNode;
          return p && p.closest && p.closest("script, style, .anchor, .copy-button")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      while (walk.nextNode()) nodes.push(walk.currentNode);
    });
    // The query's CJK runs whole where the page has them; only a page that
    // never has one whole (the words are apart) gets its bigrams marked.
    var find = function (whole) {
      return nodes.map(function (n) { return matchRanges(n.data, needles, whole); });
    };
    var found = find(true);
    if (!found.some(function (r) { return r.length; })) found = find(false);
    var first = null;
    nodes.forEach(function (node, k) {
      var text = node.data;
      var ranges = found[k];
      if (!ranges.length) return;
      var frag = document.createDocumentFragment(), at = 0;
      ranges.forEach(function (r) {
        if (r[0] > at) frag.appendChild(document.createTextNode(text.slice(at, r[0])));
        var mark = document.createElement("mark");
        mark.className = "search-highlight";
        mark.textContent = text.slice(r[0], r[1]);
        frag.appendChild(mark);
        if (!first) first = mark;
        at = r[1];
      });
      if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(frag, node);
    });
    if (first && !window.location.hash) first.scrollIntoView({ block: "center" });
  }

  function init() {
    highlightPage();
    var form = document.querySelector("form[data-search]");
    var list = document.getElementById("search-page-results");
    if (!form && !list) return;
    var base = form ? form.getAttribute("data-base") : null;
    if (!base) {
      var script = document.querySelector('script[src$="static/search.js"]');
      base = script ? script.getAttribute("src").replace(/static\/search\.js$/, "") : "/";
    }
    var index = new Index(base);
    if (form) initBox(form, index);
    if (list) initPage(list, index);
  }

  global.BijiSearch = { tokenize: tokenize, parseQuery: parseQuery, Index: Index, Results: Results, format: FORMAT };
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
  }
})(typeof window !== "undefined" ? window : globalThis);
