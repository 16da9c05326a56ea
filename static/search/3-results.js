  /* ---------- search.js, part 3 of 4 (static/search/3-results.js): results
   * a page at a time, and their HTML ---------- */

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
    // Hits whose text must be read to know (a phrase), how many were, and
    // whether each read was exact (1) or not (0), in rank order.
    this.unknown = res.hits.filter(function (h) { return h.exact === undefined; }).length;
    this.read = 0;
    this.readExact = [];
  }

  /* Few enough hits to read that they are all read at once: the counts are
   * then exact from the first page (about 36 KB of texts at most). */
  var READ_ALL = 24;

  /* Every hit has been looked at: the counts are exact. */
  Results.prototype.done = function () { return this.at >= this.res.hits.length; };

  /* The number of exact matches, and of partial ones: {exact, partial, about}.
   * Until every hit is checked, the exact count is estimated from those
   * checked so far (about: true) and the partial one is null. */
  Results.prototype.count = function () {
    var total = this.res.hits.length;
    if (this.res.checked) return { exact: this.found, partial: total - this.found, about: false };
    if (this.done()) return { exact: this.found, partial: this.partial.length, about: false };
    // From the lower half of the hits read so far: the best-ranked are the
    // likeliest to be exact, so the whole sample would overstate the rest
    // (5 exact notes of 45 showed 约 19). Hits known to be partial without
    // reading their text (a symbol or a bigram missing) count for nothing.
    var tail = this.readExact.slice(Math.floor(this.readExact.length / 2));
    var rate = tail.reduce(function (a, b) { return a + b; }, 0) / Math.max(1, tail.length);
    var est = this.found + Math.round((this.unknown - this.read) * rate);
    return { exact: est, partial: null, about: true };
  };

  /* Whether next() has more to give. */
  Results.prototype.more = function () {
    return this.exact.length > 0 || !this.done() || this.shownPartial < this.partial.length;
  };

  /* The next `n` results. At most 1.5n (and 8) texts are checked per call
   * (all that are left when they are READ_ALL or fewer),
   * so a page costs about its own notes' texts: a page may come back short
   * while more() is still true. */
  Results.prototype.next = function (n) {
    var self = this, hits = this.res.hits, q = this.res.query;
    var all = !this.res.checked && this.unknown - this.read <= READ_ALL;
    var budget = all ? Infinity : Math.max(Math.ceil(1.5 * n), 8);
    function fill() {
      if ((!all && self.exact.length >= n) || self.done() || budget <= 0) return Promise.resolve();
      var batch = [];
      while (batch.length < Math.min(all ? 64 : n - self.exact.length, 64, budget) && !self.done()) {
        var h = hits[self.at++];
        if (h.exact === false) self.partial.push({ hit: h });
        else batch.push(h);
      }
      budget -= batch.length;
      self.read += batch.filter(function (h) { return h.exact === undefined; }).length;
      return Promise.all(batch.map(function (h) { return self.index.details(h, q, self.res.meta); })).then(function (list) {
        list.forEach(function (d, k) {
          if (batch[k].exact === undefined) self.readExact.push(d.exact ? 1 : 0);
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
      // A note titled exactly what was typed comes first among those read
      // (`资料链接汇总` before `资料链接汇总（补充）`, which scores the same).
      var typed = normalizeText(q.text).trim();
      var named = function (d) { return normalizeText(d.title).trim() === typed ? 0 : 1; };
      self.exact.sort(function (a, b) { return named(a) - named(b); });
      var out = self.exact.splice(0, n);
      if (out.length >= n || !self.done()) return out;
      var more = self.partial.slice(self.shownPartial, self.shownPartial + n - out.length);
      self.shownPartial += more.length;
      return Promise.all(more.map(function (p) { return p.details || self.index.details(p.hit, q, self.res.meta); })).then(function (list) {
        list.forEach(function (d) { d.partial = true; });
        return out.concat(list);
      });
    });
  };

  /* Up to `n` of the partial matches met so far, while more hits are to be
   * checked: what a box with no exact match to show yet can list. */
  Results.prototype.partialSoFar = function (n) {
    var self = this, q = this.res.query;
    return Promise.all(this.partial.slice(0, n).map(function (p) {
      return p.details || self.index.details(p.hit, q, self.res.meta);
    })).then(function (list) {
      list.forEach(function (d) { d.partial = true; });
      return list;
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

  /* "12", "about 12", or "2 + 8 partial" as the words of `text` say;
   * nothing while no exact match has been seen yet ("about 0" would say
   * there is none). */
  function countText(c, text) {
    if (c.about && !c.exact) return "";
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
