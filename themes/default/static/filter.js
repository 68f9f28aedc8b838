/* Organization lists: filters the rows of the page in place by kind,
 * township, industry and coverage. Without JavaScript the form stays
 * hidden and the pre-built lists (by township, by coverage) do the work.
 * No request: the rows are already on the page. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("org-filters");
    var table = document.getElementById("org-list");
    if (!form || !table) { return; }
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var status = document.getElementById("org-filter-status");

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = selects.every(function (s) {
          var cell = row.cells[Number(s.getAttribute("data-column"))];
          return !s.value || (cell && cell.textContent.trim() === s.value);
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      if (status) {
        status.textContent = status.getAttribute("data-shown").replace("{n}", shown);
      }
    }

    selects.forEach(function (s) { s.addEventListener("change", apply); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    apply();
  });
})();
