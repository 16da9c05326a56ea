//! The live-reload client, put before `</body>` of every page that `serve`
//! renders (never in `build` output). It listens to the event stream, reloads
//! its page when a rebuild changed it (after the new files are in place),
//! keeps the scroll position across the reload, and draws an overlay with the
//! file, line and message of a failed rebuild until the next good one.

/// The `<script>` element added to every served page.
pub const CLIENT_SCRIPT: &str = r#"<script data-biji-serve>(function () {
  "use strict";
  if (!window.EventSource || window.__bijiServe) return;
  var state = window.__bijiServe = { connected: false };
  var KEY = "biji-serve:";
  function norm(p) {
    p = p.split("/").map(function (s) { try { return decodeURIComponent(s); } catch (e) { return s; } }).join("/");
    return p.replace(/index\.html$/, "");
  }
  var here = norm(location.pathname);
  function get(k) { try { return sessionStorage.getItem(KEY + k); } catch (e) { return null; } }
  function set(k, v) { try { sessionStorage.setItem(KEY + k, v); } catch (e) {} }
  function del(k) { try { sessionStorage.removeItem(KEY + k); } catch (e) {} }

  var saved = get("scroll:" + here);
  if (saved) {
    del("scroll:" + here);
    var xy = saved.split(",").map(Number);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var restore = function () { window.scrollTo(xy[0], xy[1]); };
    restore();
    window.addEventListener("load", restore);
  }
  function reload() {
    set("scroll:" + here, Math.round(window.scrollX) + "," + Math.round(window.scrollY));
    location.reload();
  }
  var requested = Date.now();
  try {
    var nav = performance.getEntriesByType("navigation")[0];
    requested = performance.timeOrigin + (nav ? nav.requestStart : 0);
  } catch (e) {}

  var overlay = null;
  var built = true; // a good build exists (the hello message says)
  function el(tag, css, text) {
    var e = document.createElement(tag);
    e.style.cssText = css;
    if (text) e.textContent = text;
    return e;
  }
  function show(err) {
    if (overlay) { overlay.remove(); overlay = null; }
    if (!err) return;
    overlay = el("div", "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
      "z-index:2147483647;background:#1d1f21;color:#f4f4f4;border-left:6px solid #e5484d;border-radius:6px;" +
      "padding:1rem 2.5rem 1rem 1.25rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "box-shadow:0 8px 30px rgba(0,0,0,.45);text-align:left");
    overlay.id = "biji-serve-error";
    overlay.setAttribute("role", "alert");
    var close = el("button", "position:absolute;top:.25rem;right:.5rem;background:none;border:0;" +
      "color:inherit;font-size:1.5rem;line-height:1;cursor:pointer", "\u00d7");
    close.setAttribute("aria-label", "close");
    close.onclick = function () { show(null); };
    overlay.appendChild(close);
    overlay.appendChild(el("div", "font-weight:bold;color:#ff9492", built ?
      "biji：构建失败，显示的是上一次成功的构建 · rebuild failed; showing the last good build" :
      "biji：构建失败，还没有可以显示的网站 · build failed; there is no good build to show yet"));
    if (err.file) {
      var at = err.line ? ":" + err.line + (err.column ? ":" + err.column : "") : "";
      var where = el("div", "color:#8fd3ff;margin-top:.25rem", err.file + at);
      where.className = "biji-serve-where";
      overlay.appendChild(where);
    }
    var pre = el("pre", "margin:.5rem 0 0;white-space:pre-wrap;word-break:break-word;font:inherit", err.message);
    pre.className = "biji-serve-message";
    overlay.appendChild(pre);
    (document.body || document.documentElement).appendChild(overlay);
  }

  var session = null;
  var known = null; // the last build this page has seen (hello or reload)
  var es = null;
  function connect() {
    // A hidden tab holds no stream: browsers give a host only six
    // connections, and six open tabs would leave none for a seventh page.
    if (es || document.visibilityState === "hidden") return;
    var mine = es = new EventSource("/__biji/events");
    // A refused stream (503: too many open) is closed for good, not retried.
    mine.onerror = function () {
      if (mine.readyState === 2 && es === mine) { es = null; setTimeout(connect, 5000); }
    };
    mine.addEventListener("hello", function (e) {
      var d = JSON.parse(e.data);
      if (session !== null && d.session !== session) return reload();
      // Builds finished while the tab was hidden: which pages they changed is not known.
      if (known !== null && d.build !== known) return reload();
      session = d.session;
      built = d.build > 0;
      state.connected = true;
      // A build finished after this page was requested: it may be stale.
      if (d.build > 0 && d.builtAt > requested && get("seen:" + here) !== String(d.build)) {
        set("seen:" + here, String(d.build));
        return reload();
      }
      known = d.build;
      show(d.error);
    });
    mine.addEventListener("reload", function (e) {
      var d = JSON.parse(e.data);
      built = true;
      known = d.build;
      var notFound = document.body && /(^|\s)page-404(\s|$)/.test(document.body.className);
      if (!d.paths || notFound || d.paths.indexOf(here) >= 0) {
        set("seen:" + here, String(d.build));
        reload();
      } else {
        show(null);
      }
    });
    mine.addEventListener("ok", function () { show(null); });
    mine.addEventListener("failed", function (e) { show(JSON.parse(e.data)); });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden") return connect();
    if (es) { es.close(); es = null; state.connected = false; }
  });
  // After the page's own files: the stream holds one of the browser's few
  // connections to this host for as long as the page is shown.
  if (document.readyState === "complete") connect();
  else window.addEventListener("load", connect);
})();</script>
"#;
