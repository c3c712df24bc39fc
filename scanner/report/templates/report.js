/* Filtering and sorting for the report tables: plain DOM, no libraries, no network. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var collator = new Intl.Collator(root.lang || undefined, { numeric: true, sensitivity: "base" });
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var norm = function (s) { return (s || "").normalize("NFKC").toLowerCase(); };

  function setupTable(section) {
    var table = section.querySelector("table.data");
    if (!table || !table.tBodies.length) { return; }
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var haystack = new Map();
    rows.forEach(function (row) { haystack.set(row, norm(row.textContent)); });
    var input = section.querySelector("input.filter");
    var facets = section.querySelectorAll("select.facet");
    var counter = section.querySelector(".shown");
    var empty = section.querySelector(".empty-filter");

    function apply() {
      var terms = norm(input ? input.value : "").split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = haystack.get(row);
        var ok = terms.every(function (term) { return text.indexOf(term) !== -1; });
        each(facets, function (facet) {
          if (ok && facet.value && row.getAttribute("data-" + facet.name) !== facet.value) { ok = false; }
        });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (counter) { counter.textContent = shown + " / " + rows.length + " " + counter.getAttribute("data-label"); }
      if (empty) { empty.hidden = shown !== 0; }
    }

    function sortBy(th, index) {
      var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      each(table.tHead.rows[0].cells, function (cell) {
        if (cell.hasAttribute("aria-sort")) { cell.setAttribute("aria-sort", "none"); }
      });
      th.setAttribute("aria-sort", direction);
      var numeric = th.getAttribute("data-type") === "number";
      var sign = direction === "ascending" ? 1 : -1;
      var keyed = rows.map(function (row, position) {
        var cell = row.cells[index];
        var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
        return { row: row, position: position, key: numeric ? (parseFloat(raw) || 0) : raw };
      });
      keyed.sort(function (a, b) {
        var order = numeric ? a.key - b.key : collator.compare(a.key, b.key);
        return order !== 0 ? order * sign : a.position - b.position;
      });
      rows = keyed.map(function (k) { tbody.appendChild(k.row); return k.row; });
    }

    if (input) { input.addEventListener("input", apply); }
    each(facets, function (facet) { facet.addEventListener("change", apply); });
    each(table.tHead.rows[0].cells, function (th, index) {
      var button = th.querySelector("button");
      if (button) { button.addEventListener("click", function () { sortBy(th, index); }); }
    });
    apply();
  }

  each(document.querySelectorAll("section[data-table]"), setupTable);
  var printButton = document.getElementById("print");
  if (printButton) { printButton.addEventListener("click", function () { window.print(); }); }
  root.setAttribute("data-ready", "1");
})();
