  /* ---------- search.js, part 2 of 4 (static/search/2-index.js): the index
   * files, fetched and decoded, and a query's hits ---------- */

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

  /* A failed fetch, with its status: a 404 of a content-named file means a
   * newer build replaced the index (see Index.stale). */
  function httpError(url, r) {
    var e = new Error(url + ": HTTP " + r.status);
    e.status = r.status;
    return e;
  }

  Index.prototype.get = function (url, init, as) {
    return this.fetchImpl(url, init).then(function (r) {
      if (!r.ok) throw httpError(url, r);
      return as === "json" ? r.json() : r.text();
    });
  };

  /* Whether error `e` means the site was built again since meta.json was
   * read (its files are gone): the index is read afresh then. */
  Index.prototype.stale = function (e) {
    if (!e || e.status !== 404) return false;
    this.metaPromise = null;
    return true;
  };

  /* A gzip file of the index as text. A server that sends it with
   * Content-Encoding: gzip has inflated it already: check the magic bytes.
   * Text files (`s/`) are GB18030 unless they start with UTF-8's byte order
   * mark (src/search/files.rs); the rest is UTF-8. */
  Index.prototype.getGz = function (url, encoding) {
    return this.fetchImpl(url).then(function (r) {
      if (!r.ok) throw httpError(url, r);
      return r.arrayBuffer();
    }).then(function (buf) {
      var b = new Uint8Array(buf);
      if (b[0] !== 0x1f || b[1] !== 0x8b) return b;
      var stream = new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer().then(function (raw) { return new Uint8Array(raw); });
    }).then(function (b) {
      var bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
      return new TextDecoder(bom ? "utf-8" : encoding || "utf-8").decode(b);
    });
  };

  /* A content-named file under search/ (`t/<name>`), parsed, fetched once. */
  Index.prototype.file = function (path, parse) {
    var self = this;
    if (!this.files[path]) {
      var encoding = path.charAt(0) === "s" ? "gb18030" : "utf-8";
      this.files[path] = this.getGz(this.base + "search/" + path + ".gz", encoding).then(parse);
      this.files[path].catch(function () { delete self.files[path]; });
    }
    return this.files[path];
  };

  /* How long meta.json is trusted before a search reads it again: a page
   * left open while the site is rebuilt (`biji serve`, a redeploy) then
   * searches the new build. Its files are content-named, so those already
   * fetched stay good. */
  var META_AGE = 5000;

  Index.prototype.meta = function () {
    var self = this;
    if (this.metaPromise && Date.now() - this.metaAt > META_AGE) this.metaPromise = null;
    if (!this.metaPromise) {
      this.metaAt = Date.now();
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
   * {doc, score, exact}. exact is false for a note without a typed symbol
   * or without a bigram of a phrase (its characters are apart),
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
        var need = [], opt = [], sym = scores.slice(q.terms.length);
        q.terms.forEach(function (t, k) { (t.optional ? opt : need).push(scores[k]); });
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
          opt.concat(sym).forEach(function (m) {
            var s = m.get(doc);
            if (s === undefined) exact = false; else total += s;
          });
          if (exact && q.phrases.length) exact = undefined;
          hits.push({ doc: doc, score: total, exact: exact });
        });
        hits.sort(function (x, y) { return y.score - x.score || x.doc - y.doc; });
        // Notes are numbered by this build's index: their texts are found through it.
        return { query: q, hits: hits, checked: !q.phrases.length, meta: meta };
      });
    });
  };

  /* The text file of note `doc` (which has its title and URL): through its
   * doc directory to its chunk. */
  Index.prototype.doc = function (doc, meta) {
    var self = this;
    return (meta ? Promise.resolve(meta) : this.meta()).then(function (meta) {
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

  /* `text` normalized as the index reads it, with where in `text` each
   * normalized character came from: done once per text, however many
   * times it is searched (see wordLevels). */
  function prepared(text) {
    var norm = "", starts = [], pos = 0, chars = Array.from(text);
    for (var i = 0; i < chars.length;) {
      // A character with the marks that compose with it (`ﾌﾟ` is `プ`, as
      // the index read it), normalized together.
      var ch = chars[i++];
      while (i < chars.length && MARK.test(chars[i].normalize("NFKC").charAt(0))) ch += chars[i++];
      var n = lower(ch.normalize("NFKC"));
      for (var k = 0; k < n.length; k++) starts.push(pos);
      norm += n;
      pos += ch.length;
    }
    starts.push(text.length);
    return { norm: norm, starts: starts };
  }

  /* Where the query's words and CJK runs occur in `text` (a string, or
   * what prepared() made of one), as [start, end) ranges; a CJK run not
   * found whole is looked for by its bigrams, unless `whole`. */
  function matchRanges(text, needles, whole) {
    var p = typeof text === "string" ? prepared(text) : text;
    var norm = p.norm, starts = p.starts;
    var ranges = [];
    // word: 0 anywhere, 1 at a word's start, 2 a whole word.
    function find(needle, word) {
      var found = false, from = 0, at;
      while (needle && (at = norm.indexOf(needle, from)) >= 0) {
        from = at + needle.length;
        if (word && isWordChar(norm[at - 1])) continue;
        if (word > 1 && isWordChar(norm[at + needle.length])) continue;
        ranges.push([starts[at], starts[Math.min(at + needle.length, starts.length - 1)]]);
        found = true;
      }
      return found;
    }
    needles.forEach(function (nd) {
      if (nd.word && nd.level !== undefined) {
        find(nd.text, nd.level);
      } else if (nd.word) {
        // A word typed whole is marked where it is a whole word (`go`, not
        // the `go` of `golang`), the one being typed as a prefix; where
        // neither is found it is a part of an identifier (`map` of `HashMap`).
        if (!(!nd.prefix && find(nd.text, 2)) && !find(nd.text, 1)) find(nd.text, 0);
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

  /* `needles` with each word's way of matching (see matchRanges) chosen
   * once for all of `texts` (a note's sections, a page's text nodes, each
   * as prepared() made it): a word typed whole that is whole anywhere there
   * is marked only where it is whole, not in `golang` in a paragraph
   * without `go`. */
  function wordLevels(texts, needles) {
    return needles.map(function (nd) {
      if (!nd.word) return nd;
      var levels = nd.prefix ? [1, 0] : [2, 1, 0];
      for (var i = 0; i < levels.length; i++) {
        var fixed = Object.assign({}, nd, { level: levels[i] });
        if (texts.some(function (t) { return matchRanges(t, [fixed], true).length; })) return fixed;
      }
      return nd;
    });
  }

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* About `size` characters of `text` around the match at `from` (or its
   * first), matches in <mark>. */
  function snippetHtml(text, ranges, size, from) {
    var start = 0;
    if (from === undefined && ranges.length) from = ranges[0][0];
    if (from !== undefined) start = Math.max(0, from - Math.floor(size / 3));
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
  Index.prototype.details = function (hit, q, meta) {
    var self = this;
    return this.doc(hit.doc, meta).then(function (info) {
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
      // Around the first whole phrase, the query's most telling part
      // (`负载均衡` of `nginx 负载均衡`), if the text has one.
      var phrases = q.needles.filter(function (n) { return !n.word && n.chars.length > 2; });
      var shown = prepared(text);
      var at = phrases.length ? matchRanges(shown, phrases, true)[0] : undefined;
      var all = [info.title].concat(sections.map(function (s) { return s.heading + "\n" + s.text; })).map(prepared);
      result.snippet = snippetHtml(text, matchRanges(shown, wordLevels(all, q.needles), false), 150, at && at[0]);
      return result;
    });
  };
