/* biji default theme: theme toggle, mobile navigation, table of contents, back to top,
   code blocks (copy, language, keyboard scrolling), search keys and loader. No dependencies. */
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
  var KEY = "biji-theme";

  function media(q) {
    return window.matchMedia ? window.matchMedia(q) : { matches: false };
  }

  /* Theme: the inline script in <head> already applied a saved choice before paint.
     The button is a "dark theme" switch: aria-pressed tells assistive tech
     whether dark is on, whether it was chosen here or comes from the system. */
  var themeButton = document.getElementById("theme-toggle");
  var darkQuery = media("(prefers-color-scheme: dark)");

  function theme() {
    return root.dataset.theme || (darkQuery.matches ? "dark" : "light");
  }

  function showTheme() {
    themeButton.setAttribute("aria-pressed", theme() === "dark" ? "true" : "false");
  }

  if (themeButton) {
    showTheme();
    themeButton.addEventListener("click", function () {
      var next = theme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode */ }
      showTheme();
    });
    if (darkQuery.addEventListener) darkQuery.addEventListener("change", showTheme);
  }

  /* Navigation: keep the current entry visible; on phones, toggle the menu. */
  var nav = document.getElementById("site-nav");
  var navButton = document.getElementById("nav-toggle");

  function revealCurrent() {
    if (!nav) return;
    var cur = nav.querySelector('[aria-current="page"]');
    if (!cur || nav.scrollHeight <= nav.clientHeight) return;
    var top = cur.offsetTop, bottom = top + cur.offsetHeight;
    if (top < nav.scrollTop || bottom > nav.scrollTop + nav.clientHeight) {
      nav.scrollTop = top - nav.clientHeight / 3;
    }
  }

  /* On phones the open menu covers the page like a dialog: what it covers is
     inert (no Tab stop hidden under it, nothing read behind it), Tab cycles
     through the header and the menu, and focus returns to the button when
     the menu closes under it. */
  var header = document.querySelector(".site-header");
  var covered = document.querySelectorAll(".skip-link, .main, .site-footer");
  var wide = media("(min-width: 800px)");

  function isOpen() { return root.classList.contains("nav-open"); }

  function setNav(open) {
    var hadFocus = nav.contains(document.activeElement);
    root.classList.toggle("nav-open", open);
    navButton.setAttribute("aria-expanded", open ? "true" : "false");
    covered.forEach(function (el) { el.inert = open; });
    if (open) revealCurrent();
    else if (hadFocus && !wide.matches) navButton.focus();
  }

  function inMenu(el) {
    return el && ((header && header.contains(el)) || nav.contains(el));
  }

  if (nav && navButton) {
    navButton.addEventListener("click", function () {
      setNav(!isOpen());
    });
    document.addEventListener("keydown", function (e) {
      if (!isOpen()) return;
      if (e.key === "Escape") {
        setNav(false);
        navButton.focus();
      } else if (e.key === "Tab") {
        var links = nav.querySelectorAll("a");
        var last = links[links.length - 1];
        var from = document.activeElement;
        if (!e.shiftKey && from === last) { e.preventDefault(); navButton.focus(); }
        else if (e.shiftKey && from === navButton && last) { e.preventDefault(); last.focus(); }
      }
    });
    // Focus that still gets out (a script, the browser's own keys) closes it.
    document.addEventListener("focusin", function (e) {
      if (isOpen() && !inMenu(e.target)) setNav(false);
    });
    nav.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("a")) setNav(false);
    });
    var onWide = function () { if (wide.matches && isOpen()) setNav(false); };
    if (wide.addEventListener) wide.addEventListener("change", onWide);
    else if (wide.addListener) wide.addListener(onWide);
  }
  revealCurrent();

  /* Where the table of contents sits beside the text (the wide layout of
     style.css) it is open; narrower, it is a folded bar under the header
     that shows the section being read, and folds again once an entry is
     chosen. Without JavaScript a long one starts folded (macros.html). */
  var tocBox = document.querySelector(".note.has-toc .toc");
  var side = media("(min-width: 1280px)");
  if (tocBox) {
    var placeToc = function () {
      tocBox.open = side.matches;
      tocBox.classList.add("toc-placed");
    };
    placeToc();
    if (side.addEventListener) side.addEventListener("change", placeToc);
    else if (side.addListener) side.addListener(placeToc);
    tocBox.addEventListener("click", function (e) {
      if (!side.matches && e.target.closest && e.target.closest("nav a")) tocBox.open = false;
    });
  }

  /* The table of contents marks the section being read (aria-current), and
     keeps that entry in view where it scrolls on its own beside the text. */
  var toc = document.querySelector(".note.has-toc .toc");
  var tocEntries = [];
  if (toc) {
    toc.querySelectorAll('a[href^="#"]').forEach(function (a) {
      var id;
      try { id = decodeURIComponent(a.getAttribute("href").slice(1)); } catch (e) { return; }
      var heading = document.getElementById(id);
      if (heading) tocEntries.push({ link: a, heading: heading });
    });
  }
  if (tocEntries.length) {
    var marked = null, queued = false;
    var currentLabel = toc.querySelector(".toc-current");
    var markSection = function () {
      queued = false;
      // The last heading above the upper third of the window.
      var line = window.innerHeight / 3, current = tocEntries[0];
      for (var e = 0; e < tocEntries.length; e++) {
        if (tocEntries[e].heading.getBoundingClientRect().top > line) break;
        current = tocEntries[e];
      }
      if (current === marked) return;
      if (marked) marked.link.removeAttribute("aria-current");
      current.link.setAttribute("aria-current", "location");
      marked = current;
      if (currentLabel) currentLabel.textContent = current.link.textContent;
      var a = current.link;
      if (toc.scrollHeight > toc.clientHeight &&
          (a.offsetTop < toc.scrollTop || a.offsetTop + a.offsetHeight > toc.scrollTop + toc.clientHeight)) {
        toc.scrollTop = a.offsetTop - toc.clientHeight / 3;
      }
    };
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; window.requestAnimationFrame(markSection); }
    }, { passive: true });
    markSection();
  }

  /* A letter followed from the A-Z bar lands below it: the bar's height
     (rows it wraps to, or none where it does not stick) for style.css. */
  var jumpBar = document.querySelector(".jump-bar");
  function placeJump() {
    var sticky = getComputedStyle(jumpBar).position === "sticky";
    root.style.setProperty("--jump-h", (sticky ? jumpBar.offsetHeight : 0) + "px");
  }
  if (jumpBar) {
    placeJump();
    window.addEventListener("resize", placeJump);
  }

  /* Paper has no controls: folded callouts and <details> print open (style.css
     does it where ::details-content is known) and fold again afterwards. */
  var unfolded = [];
  window.addEventListener("beforeprint", function () {
    unfolded = Array.prototype.filter.call(
      document.querySelectorAll(".content details:not([open])"),
      function (d) { d.open = true; return true; });
  });
  window.addEventListener("afterprint", function () {
    unfolded.forEach(function (d) { d.open = false; });
    unfolded = [];
  });

  /* Back to the top, shown once the reader is a screen down. */
  var backToTop = document.querySelector(".back-to-top");
  if (backToTop) {
    var placeBack = function () {
      backToTop.classList.toggle("shown", window.scrollY > window.innerHeight);
    };
    window.addEventListener("scroll", placeBack, { passive: true });
    placeBack();
  }

  /* Search loads on demand: search.js (the engine and the box, the largest
     script) is fetched when the reader first reaches for search (a press or
     focus on the box, `/`, Ctrl-K or Cmd-K), and at once on the results page
     and on a page opened from a result (`?highlight=`, which it marks). It
     picks up what was typed meanwhile. Without scripts the form still
     submits to the results page. */
  var searchJs = body.getAttribute("data-search-js");
  var searchBox = document.getElementById("search-input") ||
    document.getElementById("search-page-input");

  function loadSearch() {
    if (!searchJs) return;
    var script = document.createElement("script");
    script.src = searchJs;
    document.head.appendChild(script);
    searchJs = null;
  }

  if (searchJs) {
    if (document.getElementById("search-page-results") || /[?&]highlight=/.test(location.search)) loadSearch();
    if (searchBox) {
      // Typing too: a page without the window's focus gets no focus event.
      ["focus", "pointerdown", "input"].forEach(function (type) {
        searchBox.addEventListener(type, loadSearch);
      });
    }
  }

  function isEditable(el) {
    return el && (el.isContentEditable || /^(input|textarea|select)$/i.test(el.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (!searchBox || e.isComposing || e.altKey) return;
    var ctrlK = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey);
    var slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !isEditable(e.target);
    if (!ctrlK && !slash) return;
    e.preventDefault();
    searchBox.focus();
    searchBox.select();
  });

  /* Copy buttons on code blocks. Labels come from <body data-copy data-copied>. */
  var copyLabel = body.getAttribute("data-copy") || "Copy";
  var copiedLabel = body.getAttribute("data-copied") || "Copied";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  /* Fallback for http:// and file:// pages, or when the Clipboard API is refused. */
  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.top = "0";
      ta.style.opacity = "0";
      var previous = document.activeElement;
      body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { /* unsupported */ }
      body.removeChild(ta);
      if (previous && previous.focus) previous.focus();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  var blocks = document.querySelectorAll(".content pre");
  for (var i = 0; i < blocks.length; i++) {
    var pre = blocks[i];
    if (pre.parentNode.classList && pre.parentNode.classList.contains("code-block")) continue;
    var wrap = document.createElement("div");
    wrap.className = "code-block";
    pre.parentNode.insertBefore(wrap, pre);
    wrap.appendChild(pre);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.setAttribute("aria-live", "polite");
    button.textContent = copyLabel;
    wrap.appendChild(button);
    var lang = pre.getAttribute("data-lang");
    if (lang) {
      var label = document.createElement("span");
      label.className = "code-lang";
      label.setAttribute("aria-hidden", "true");
      label.textContent = lang;
      wrap.appendChild(label);
    }
  }

  /* A block or table wider than its box scrolls; make it reachable by
     keyboard (Tab, then the arrow keys), and only then, so short blocks add
     no Tab stops. */
  var scrollers = document.querySelectorAll(".content pre, .content table");
  function focusOverflowing() {
    for (var k = 0; k < scrollers.length; k++) {
      var p = scrollers[k];
      if (p.scrollWidth > p.clientWidth + 1) p.setAttribute("tabindex", "0");
      else if (p.getAttribute("tabindex") === "0") p.removeAttribute("tabindex");
    }
  }
  focusOverflowing();
  var resizeTimer;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(focusOverflowing, 150);
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".copy-button");
    if (!button) return;
    var pre = button.parentNode.querySelector("pre");
    var code = pre.querySelector("code") || pre;
    copyText(code.innerText.replace(/\n$/, "")).then(function () {
      button.textContent = copiedLabel;
      button.classList.add("copied");
      clearTimeout(button._bijiTimer);
      button._bijiTimer = setTimeout(function () {
        button.textContent = copyLabel;
        button.classList.remove("copied");
      }, 1500);
    }, function () { /* leave the label unchanged */ });
  });
})();
