  /* ---------- search.js, part 4 of 4 (static/search/4-ui.js): the header box,
   * the results page and the highlight on an opened result ---------- */

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
    /* No option chosen, none drawn as chosen: a row left marked after Escape
     * was not the one Enter opened. */
    v.unselect = function () {
      v.active = -1;
      v.input.removeAttribute("aria-activedescendant");
      v.options().forEach(function (o) { o.setAttribute("aria-selected", "false"); });
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

  /* A query as typed, but for leading spaces; empty if it is only spaces. */
  function typed(s) { return /\S/.test(s) ? s.replace(/^\s+/, "") : ""; }

  /* The header box's behaviour. The `/` and Ctrl-K keys, and loading this
   * script on first use, are biji.js's. */
  function initBox(form, index) {
    var v = boxView(form);
    if (!v) return;
    var input = v.input;
    var text = function (k) { return form.getAttribute("data-" + k) || ""; };
    var seq = 0, timer = null;
    var resultsUrl = function (q) { return index.base + "search/?q=" + encodeURIComponent(q); };

    /* `again`: the index changed under the page (a rebuild); once more with the new one. */
    function run(again) {
      // A space after the last word says it was typed whole (`go `, not `golang`).
      var q = typed(input.value);
      var mine = ++seq;
      if (!q) { v.close(); return; }
      index.search(q).then(function (res) {
        if (mine !== seq) return null;
        if (!res.hits.length) { v.show("", text("no-results")); return null; }
        var results = index.results(res);
        return results.next(8).then(function (list) {
          // None exact among the first candidates checked: the partial ones
          // met so far, under their label, and the results page goes on.
          return list.length || !results.more() ? list : results.partialSoFar(8);
        }).then(function (list) {
          if (mine !== seq || !list) return;
          var exact = list.some(function (d) { return !d.partial; });
          var m = exact ? "" : text(results.more() ? "checking" : list.length ? "" : "no-results");
          var count = countText(results.count(), text);
          v.show(optionsHtml(list, text) + '<a class="search-all" role="option" aria-selected="false" tabindex="-1" id="search-opt-all" href="' +
            escapeHtml(resultsUrl(q)) + '">' + escapeHtml(text("all") + (count ? " (" + count + ")" : "")) + "</a>", m);
        });
      }).catch(function (e) {
        if (mine !== seq) return;
        if (!again && index.stale(e)) run(true);
        else v.show("", text("error") + ": " + e.message);
      });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(run, 80);
    }
    // Not while an input method composes: its letters (`docke`) are no query yet.
    input.addEventListener("input", function (e) { if (!e.isComposing) later(); });
    input.addEventListener("compositionend", later);
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
        // Up from no option is the last one, as down is the first.
        else if (v.active < 0 && e.key === "ArrowUp") v.select(-1);
        else v.select(v.active + (e.key === "ArrowDown" ? 1 : -1));
      } else if (e.key === "Enter") {
        e.preventDefault();
        var chosen = v.selected();
        if (chosen) window.location.href = chosen.href;
        else if (typed(input.value)) window.location.href = resultsUrl(typed(input.value));
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
      // Not "about 0": none of those checked so far is exact.
      if (c.about && !c.exact && text("none-yet")) { say(text("none-yet").replace("{n}", results.at)); return; }
      var key = c.about ? "count-about" : c.exact === 1 && text("count-one") ? "count-one" : "count";
      var m = text(key).replace("{n}", c.exact);
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
    /* The next page. A page whose candidates were all partial matches
     * comes back empty: checking goes on (a few pages' worth) until there
     * is something to show, rather than showing nothing and "about 0". */
    function showMore(tries) {
      var mine = seq;
      if (more) more.hidden = true;
      tries = typeof tries === "number" ? tries : 8;
      return results.next(PAGE).then(function (items) {
        if (mine !== seq) return null;
        if (!items.length && results.more() && tries > 1) {
          say(text("loading"));
          return showMore(tries - 1);
        }
        items.forEach(function (d) {
          (d.partial ? partialTarget() : list).insertAdjacentHTML("beforeend", "<li>" + hitHtml(d) + "</li>");
        });
        sayCount();
        if (more) more.hidden = !results.more();
        retried = false;
        return null;
      }).catch(function (e) {
        // The site was rebuilt since the first page: search it again (once).
        if (mine !== seq) return;
        if (!retried && index.stale(e)) run(query, true);
        else say(text("error") + ": " + e.message);
      });
    }
    var query = "", retried = false;
    function run(q, again) {
      query = q;
      retried = !!again;
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
        if (mine !== seq) return;
        if (!again && index.stale(e)) run(q, true);
        else say(text("error") + ": " + e.message);
      });
    }
    var q = new URLSearchParams(window.location.search).get("q") || "";
    if (input) {
      input.value = q;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var v = typed(input.value);
          history.replaceState(null, "", v ? "?q=" + encodeURIComponent(v) : window.location.pathname);
          run(v);
        }, 150);
      });
    }
    if (more) more.addEventListener("click", function () { showMore(); });
    run(typed(q));
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
          // Not in formulas and diagrams, which search does not index.
          return p && p.closest && p.closest("script, style, .anchor, .copy-button, math, svg")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      while (walk.nextNode()) nodes.push(walk.currentNode);
    });
    // The query's CJK runs whole where the page has them; only a page that
    // never has one whole (the words are apart) gets its bigrams marked.
    var texts = nodes.map(function (n) { return prepared(n.data); });
    needles = wordLevels(texts, needles);
    var find = function (whole) {
      return texts.map(function (t) { return matchRanges(t, needles, whole); });
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
