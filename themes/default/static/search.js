/* Offline search: loads search-index.js with a <script> element (works from
 * file://, where fetch() of local files is refused), only when search is
 * used, and matches by plain substring, which suits Chinese and ids alike. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var loading = null;

  function load(done) {
    if (window.NIANBAO_SEARCH) { done(window.NIANBAO_SEARCH); return; }
    if (!loading) {
      loading = [];
      var s = document.createElement("script");
      s.src = root + "search-index.js";
      s.onload = function () { loading.forEach(function (f) { f(window.NIANBAO_SEARCH || []); }); };
      document.head.appendChild(s);
    }
    loading.push(done);
  }

  function norm(s) { return (s || "").toLowerCase(); }

  /* Title and id matches rank above body matches; earlier and shorter is
   * better. Ids are matched whole or by prefix, and never shown. */
  function score(doc, q) {
    if (doc.k && norm(doc.k).indexOf(q) === 0) { return 1000 - Math.min(doc.k.length, 200); }
    var t = norm(doc.t).indexOf(q);
    if (t >= 0) { return 1000 - Math.min(t, 100) * 2 - Math.min(doc.t.length, 200); }
    var x = norm(doc.x).indexOf(q);
    if (x >= 0) { return 200 - Math.min(x, 199) / 2; }
    return -1;
  }

  function search(docs, query) {
    var terms = norm(query).split(/\s+/).filter(Boolean);
    var phrase = norm(query).trim();
    var hits = [];
    docs.forEach(function (doc) {
      var s = score(doc, phrase);
      if (s < 0) {
        /* Every word somewhere: a weaker match. */
        var all = terms.length > 1 && terms.every(function (w) { return score(doc, w) >= 0; });
        if (!all) { return; }
        s = 100;
      }
      hits.push({ doc: doc, score: s });
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.doc.u < b.doc.u ? -1 : 1); });
    return hits;
  }

  function snippet(doc, q) {
    var text = doc.x || "";
    var i = norm(text).indexOf(q);
    var from = Math.max(0, i - 30);
    var part = i < 0 ? text.slice(0, 80) : text.slice(from, i + q.length + 50);
    var el = document.createElement("p");
    el.className = "snippet";
    var j = norm(part).indexOf(q);
    if (i >= 0 && j >= 0) {
      el.appendChild(document.createTextNode((from > 0 ? "…" : "") + part.slice(0, j)));
      var m = document.createElement("mark");
      m.textContent = part.slice(j, j + q.length);
      el.appendChild(m);
      el.appendChild(document.createTextNode(part.slice(j + q.length) + "…"));
    } else {
      el.textContent = part + (text.length > part.length ? "…" : "");
    }
    return el;
  }

  function show(results, query) {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    if (!list) { return; }
    var q = norm(query).trim();
    load(function (docs) {
      var hits = q ? search(docs, q) : [];
      list.textContent = "";
      hits.slice(0, 100).forEach(function (h) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + h.doc.u;
        a.textContent = h.doc.t;
        li.appendChild(a);
        li.appendChild(snippet(h.doc, q));
        list.appendChild(li);
      });
      if (status) {
        status.textContent = (hits.length ? status.getAttribute("data-found") : status.getAttribute("data-none")).replace("{n}", hits.length).replace("{q}", query);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    document.querySelectorAll("input[name=q]").forEach(function (input) {
      if (query) { input.value = query; }
      input.addEventListener("focus", function () { load(function () {}); }, { once: true });
    });
    if (document.getElementById("search-results")) { show(null, query); }
  });
})();
