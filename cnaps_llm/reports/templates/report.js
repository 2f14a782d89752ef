// Filters and sorts the cases table; a click on a case opens its details (the #case-N
// fragment, which CSS :target shows, so links work without this script too).
// Reads only the DOM; never writes HTML, only text and attributes.
(function () {
  "use strict";
  var table = document.getElementById("cases");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var status = document.getElementById("status-filter");
  var kind = document.getElementById("kind-filter");
  var shown = document.getElementById("shown");

  function apply() {
    var q = filter.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.dataset.id.toLowerCase().indexOf(q) >= 0) &&
        (!status.value || r.dataset.status === status.value) &&
        (!kind.value || r.dataset.kinds.split(" ").indexOf(kind.value) >= 0);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + " of " + rows.length;
  }
  [filter, status, kind].forEach(function (el) { el.addEventListener("input", apply); });

  function key(row, col, type) {
    var v = row.cells[col].dataset.sort;
    if (type !== "num") { return v.toLowerCase(); }
    return v === "" ? -Infinity : parseFloat(v);
  }
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var type = button.dataset.type;
      var sorted = rows.slice().sort(function (a, b) {
        var x = key(a, col, type), y = key(b, col, type);
        var c = x < y ? -1 : x > y ? 1 : 0;
        return asc ? c : -c;
      });
      sorted.forEach(function (r) { body.appendChild(r); });
    });
  });

  function select() {
    var id = location.hash.slice(1);
    rows.forEach(function (r) {
      var on = r.dataset.target === id;
      r.classList.toggle("selected", on);
      r.setAttribute("aria-selected", on ? "true" : "false");
    });
  }
  function open(row) {
    if (location.hash === "#" + row.dataset.target) { select(); return; }
    location.hash = row.dataset.target;
  }
  rows.forEach(function (r) {
    r.addEventListener("click", function (e) {
      if (e.target.closest("a")) { return; }
      open(r);
    });
    r.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(r); }
    });
  });
  window.addEventListener("hashchange", select);
  select();

  var all = document.getElementById("show-all");
  all.addEventListener("click", function () {
    var on = document.body.classList.toggle("all");
    all.textContent = on ? "show the selected case only" : "show every case";
  });
  apply();
}());
