// nianbao serve: live reload. Injected only into pages served by
// `nianbao serve`, never into `nianbao build` output.
(function () {
  "use strict";
  var me = document.currentScript;
  var site = me ? me.getAttribute("data-nianbao-site") : null;
  var serial = "";
  var box = null;

  function show(e) {
    if (!box) {
      box = document.createElement("div");
      box.id = "nianbao-errors";
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:70vh;overflow:auto;" +
        "margin:0;padding:1rem 1.25rem;background:#fff4f4;color:#1a1a1a;border-bottom:3px solid #c00;" +
        "box-shadow:0 2px 12px rgba(0,0,0,.25);font:15px/1.5 system-ui,sans-serif;text-align:left";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var h = document.createElement("strong");
    h.textContent = e.title;
    h.style.cssText = "display:block;color:#a00;font-size:1.1em";
    var p = document.createElement("p");
    p.textContent = e.help;
    p.style.margin = ".25rem 0 .5rem";
    var pre = document.createElement("pre");
    pre.textContent = e.text;
    pre.style.cssText =
      "margin:0;white-space:pre-wrap;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;background:none;border:0;padding:0";
    box.appendChild(h);
    box.appendChild(p);
    box.appendChild(pre);
  }

  function hide() {
    if (box) {
      box.parentNode.removeChild(box);
      box = null;
    }
  }

  function retry() {
    setTimeout(poll, 1000);
  }

  function poll() {
    fetch("/__nianbao/version?since=" + serial, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (v) {
        serial = v.serial;
        if (String(v.site) !== site) {
          location.reload();
          return;
        }
        if (v.errors > 0) {
          return fetch("/__nianbao/errors", { cache: "no-store" })
            .then(function (r) { return r.json(); })
            .then(function (e) { show(e); poll(); });
        }
        hide();
        poll();
      })
      .catch(retry);
  }

  poll();
})();
