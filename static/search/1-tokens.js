/* biji search: the query side of the index that `biji build` writes under
 * search/. Plain JavaScript, no dependencies. The tokenizer mirrors
 * src/search/token.rs rule for rule (a test runs both on the same strings), so
 * a query is cut exactly as the notes were and can never miss a note that
 * contains it. The engine is also usable from a site's own scripts as
 * `BijiSearch` (see README: Search).
 *
 * `biji build` writes this one script, static/search.js, from the theme's
 * static/search/*.js in name order: one function scope over four files.
 * This is part 1 (1-tokens.js): the tokenizer and the query parser. */
(function (global) {
  "use strict";

  var FORMAT = 6;
  var MAX_WORD = 64;
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var a = 0; a < ALPHABET.length; a++) DIGIT[ALPHABET.charCodeAt(a)] = a;
  var TF = [1, 2, 3, 4, 6, 9, 15, 25];
  var WORD = /[\p{Alphabetic}\p{N}\p{M}_]/u;
  var UPPER = /\p{Uppercase}/u;
  var LOWER = /\p{Lowercase}/u;
  var NUM = /\p{N}/u;
  var MARK = /\p{M}/u;
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
    // An optional term adds to a note's score, and a note without it is a
    // partial match; a note without a required one is not found.
    function add(term, prefix, optional) {
      var key = (prefix ? "*" : "=") + term;
      if (seen[key]) { if (!optional) seen[key].optional = false; return; }
      if (!prefix && seen["*" + term]) return;
      seen[key] = { term: term, prefix: prefix, optional: !!optional };
      terms.push(seen[key]);
    }
    var normalized = String(query).normalize("NFKC");
    var typing = !/\s$/.test(normalized);
    // A word is being typed only while the query ends in it: `fork()` and
    // `<div>` were typed whole.
    var last = Array.from(normalized).pop();
    var wordTyping = typing && last !== undefined && WORD.test(last) && !isCjk(last.codePointAt(0));
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
        var prefix = wordTyping && k === pieces.length - 1 && Array.from(p.word).length >= 2;
        add(p.word, prefix);
        needles.push({ text: p.word, word: true, prefix: prefix });
        return;
      }
      var chars = p.chars, n = chars.length;
      if (n === 1) add(chars[0], false);
      // Every bigram counts, but a note needs only a cover of the run to be
      // found (僵尸进程: 僵尸, 进程; 进程池: 进程, 池): one with the characters
      // apart (僵尸状态的进程) lacks 尸进 and is a partial match, not lost.
      for (var i = 0; i + 1 < n; i++) add(chars[i] + chars[i + 1], false, i % 2 === 1);
      if (n > 2 && n % 2 === 1) add(chars[n - 1], false);
      if (n > 2) phrases.push(chars.join(""));
      needles.push({ text: chars.join(""), word: false, chars: chars });
    });
    // CJK text with punctuation and no space (`进程、线程`) is one phrase, as typed.
    normalized.split(/\s+/).forEach(function (chunk) {
      var runs = 0, other = false;
      scan(chunk, function () { other = true; }, function () { runs++; });
      if (other || runs < 2) return;
      var phrase = lower(chunk);
      phrases.push(phrase);
      needles.push({ text: phrase, word: false, chars: Array.from(phrase) });
    });
    // The whole symbols typed, not the pieces a longer chunk also gives.
    // A symbol is being typed only when the query ends with it (`os.fork`,
    // not `os.fork python`).
    var end = lower(normalized);
    wholeSyms(normalized).forEach(function (t) {
      if (syms.some(function (x) { return x.term === t; })) return;
      var prefix = typing && end.slice(-t.length) === t && Array.from(t).length >= 2;
      syms.push({ term: t, prefix: prefix });
      needles.push({ text: t, word: true, prefix: prefix });
    });
    // The text keeps one trailing space: a result's page then marks a word
    // typed whole as whole (`go `, not the `go` of `golang`).
    var text = String(query).replace(/^\s+/, "").replace(/\s+$/, typing ? "" : " ");
    return { terms: terms, syms: syms, phrases: phrases, needles: needles, text: text };
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
