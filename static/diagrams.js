/* biji: draws ```mermaid fences as SVG with the vendored Mermaid.
   Included only on pages that have diagrams, so the 5 MB library costs
   nothing elsewhere; it is fetched here rather than by a <script> in the
   page so that a missing or broken copy leaves the page intact. */
(function () {
  "use strict";
  var root = document.documentElement;
  var diagrams = document.querySelectorAll(".diagram");
  if (!diagrams.length) return;

  var me = document.currentScript || document.querySelector("script[data-mermaid]");
  var src = me && me.getAttribute("data-mermaid");
  if (!src) return;

  // Same stack as the text around the diagram, so labels match it; Mermaid
  // measures labels with this font, so it also decides the box sizes.
  var FALLBACK_FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", "Helvetica Neue", Arial, ' +
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", ' +
    '"Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif';
  var font = (window.getComputedStyle &&
    getComputedStyle(document.body || root).fontFamily) || FALLBACK_FONT;

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  // Mirrors style.css: an explicit data-theme wins, else the system setting.
  function wantDark() {
    var t = root.getAttribute("data-theme");
    if (t === "dark") return true;
    if (t === "light") return false;
    return !!(darkQuery && darkQuery.matches);
  }

  function sourceOf(box) {
    // Typora's ```sequence and ```flow, translated at build time.
    var given = box.getAttribute("data-source");
    if (given) return given;
    var code = box.querySelector("code.language-mermaid") || box.querySelector("pre");
    return code ? code.textContent : "";
  }

  // biji.js wraps every pre in a .code-block (with a copy button), so hide
  // the direct child that holds the pre, not just the pre itself.
  function sourceBlock(box) {
    var pre = box.querySelector("pre");
    while (pre && pre.parentNode !== box) pre = pre.parentNode;
    return pre;
  }

  function clearOutput(box) {
    var old = box.querySelectorAll(":scope > svg, :scope > .diagram-error");
    for (var i = 0; i < old.length; i++) box.removeChild(old[i]);
  }

  var seq = 0;         // ids must be unique in the document, even across re-renders
  var generation = 0;  // a newer pass (theme change) makes older results stale
  var renderedDark = null;

  function renderOne(mermaid, box, pass) {
    var id = "biji-mermaid-" + (++seq);
    var source = sourceOf(box);
    var block = sourceBlock(box);
    // Wrapped so a synchronous throw is handled like a rejected render.
    return Promise.resolve().then(function () {
      return mermaid.render(id, source);
    }).then(function (result) {
      if (pass !== generation) return;
      var holder = document.createElement("div");
      holder.innerHTML = result.svg;
      var svg = holder.querySelector("svg");
      if (!svg) throw new Error("Mermaid returned no SVG");
      // Mermaid sizes the SVG to fit the column (width 100%, max-width its
      // natural width). On a phone that shrinks a wide chart until the text
      // is unreadable; below 60% let it scroll sideways instead.
      var natural = parseFloat(svg.style.maxWidth);
      if (natural > 0) svg.style.minWidth = Math.round(natural * 0.6) + "px";
      clearOutput(box);
      box.insertBefore(svg, box.firstChild);
      if (result.bindFunctions) result.bindFunctions(box);
      if (block) block.hidden = true;
      box.classList.remove("diagram-failed");
      box.classList.add("diagram-rendered");
    }).then(null, function (err) {
      // Mermaid can leave its scratch element behind on errors.
      var scratch = document.getElementById("d" + id);
      if (scratch && scratch.parentNode) scratch.parentNode.removeChild(scratch);
      if (pass !== generation) return;
      var text = (err && (err.message || err.str)) || String(err);
      console.warn("biji: diagram not drawn:", text, box);
      clearOutput(box);
      if (block) block.hidden = false;
      var msg = document.createElement("p");
      msg.className = "diagram-error";
      msg.textContent = text;
      box.appendChild(msg);
      box.classList.remove("diagram-rendered");
      box.classList.add("diagram-failed");
    });
  }

  function renderAll(mermaid) {
    var dark = wantDark();
    if (dark === renderedDark) return;
    renderedDark = dark;
    var pass = ++generation;
    // Mermaid keeps one global config; re-initialising is how the theme changes.
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      suppressErrorRendering: true, // we show our own message, not Mermaid's bomb SVG
      theme: dark ? "dark" : "default",
      // Dark edge labels ("是"/"否") sat on #585858 at 4.43:1; the theme's border grey is darker.
      themeVariables: dark ? { edgeLabelBackground: "#2d333b" } : {},
      fontFamily: font
    });
    // One at a time, in page order: Mermaid queues renders anyway, and this
    // lets a theme change interrupt a long page between diagrams.
    var chain = Promise.resolve();
    Array.prototype.forEach.call(diagrams, function (box) {
      chain = chain.then(function () {
        if (pass === generation) return renderOne(mermaid, box, pass);
      });
    });
    chain.then(function () {
      if (pass !== generation) return;
      var ev;
      try { ev = new CustomEvent("biji:diagrams", { detail: { dark: dark } }); }
      catch (e) { return; }
      document.dispatchEvent(ev);
    });
  }

  function start() {
    var mermaid = window.mermaid;
    if (!mermaid || typeof mermaid.render !== "function") {
      console.warn("biji: Mermaid did not load from", src);
      return;
    }
    // Mermaid would otherwise scan the page for .mermaid on window load.
    mermaid.startOnLoad = false;
    renderAll(mermaid);
    var again = function () { renderAll(mermaid); };
    if (window.MutationObserver) {
      new MutationObserver(again).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
    }
    if (darkQuery) {
      if (darkQuery.addEventListener) darkQuery.addEventListener("change", again);
      else if (darkQuery.addListener) darkQuery.addListener(again);
    }
  }

  if (window.mermaid) { start(); return; }
  var s = document.createElement("script");
  s.src = src;
  s.async = true;
  s.onload = start;
  s.onerror = function () { console.warn("biji: could not load Mermaid from", src); };
  document.head.appendChild(s);
})();
