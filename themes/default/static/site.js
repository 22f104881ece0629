/* rankpress: optional enhancements. Everything on the page is present without this script. */
(function () {
  "use strict";
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) return "";
    var v = c.getAttribute("data-v");
    return v !== null ? v : c.textContent.trim();
  }
  function asNumber(s) {
    var t = s.replace(/[,%\s]/g, "").replace("−", "-");
    if (t === "" || t === "—") return NaN;
    return /^-?\d+(\.\d+)?$/.test(t) ? parseFloat(t) : NaN;
  }
  function sortTable(table, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    var i = th.cellIndex;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    for (var k = 0; k < head.cells.length; k++) head.cells[k].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, n) { r._n = n; });
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i);
      var nx = asNumber(x), ny = asNumber(y), d;
      if (!isNaN(nx) && !isNaN(ny)) d = nx - ny;
      else if (isNaN(nx) !== isNaN(ny)) d = isNaN(nx) ? 1 : -1;
      else d = x.localeCompare(y, document.documentElement.lang || undefined);
      if (!asc) d = -d;
      return d || a._n - b._n;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (r) { frag.appendChild(r); });
    body.appendChild(frag);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tHead.rows.length) return;
    var head = table.tHead.rows[table.tHead.rows.length - 1];
    // Each header's content moves into a <button> (reachable and operable from the keyboard);
    // the <th> carries aria-sort once the column is sorted.
    Array.prototype.forEach.call(head.cells, function (th) {
      if (th.tagName !== "TH") return;
      var button = document.createElement("button");
      button.type = "button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.classList.add("sortable-col");
      button.addEventListener("click", function () { sortTable(table, th); });
    });
  });
  var input = document.getElementById("filter");
  if (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var empty = document.querySelector(".filter-empty");
    input.parentNode.hidden = false;
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var hit = !q || (r.getAttribute("data-name") || r.textContent).toLowerCase().indexOf(q) >= 0;
        r.hidden = !hit;
        if (hit) shown++;
      });
      if (empty) empty.hidden = shown > 0;
    });
  }
  // Scroll cue: a table (or the phone's navigation bar) wider than its box is marked with
  // .more-left / .more-right while there is more of it on that side; style.css shades that edge.
  var scrollers = Array.prototype.slice.call(document.querySelectorAll(".scroll, .nav ul"));
  function cue(el) {
    var more = el.scrollWidth - el.clientWidth;
    el.classList.toggle("more-left", more > 1 && el.scrollLeft > 1);
    el.classList.toggle("more-right", more > 1 && el.scrollLeft < more - 1);
  }
  scrollers.forEach(function (el) {
    cue(el);
    el.addEventListener("scroll", function () { cue(el); }, { passive: true });
  });
  if (window.ResizeObserver) {
    var watch = new ResizeObserver(function (entries) { entries.forEach(function (e) { cue(e.target); }); });
    scrollers.forEach(function (el) { watch.observe(el); });
  } else {
    window.addEventListener("resize", function () { scrollers.forEach(cue); });
  }
  // The current page's link in a navigation bar that scrolls: brought into view.
  var current = document.querySelector(".nav a[aria-current=page]");
  if (current) {
    var bar = current.closest("ul");
    var over = current.getBoundingClientRect().right - bar.getBoundingClientRect().right;
    if (over > 0) bar.scrollLeft += over + 28;
  }
  Array.prototype.forEach.call(document.querySelectorAll("a.print-link"), function (a) {
    a.hidden = false;
    a.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  });
})();
