/* The One Stop Service centre: filter the request types as the citizen types. Without this
   file the same box filters on the server (GET ?q=). */
(function () {
  "use strict";
  function onReady() {
    var box = document.getElementById("oss-q");
    var list = document.getElementById("oss-types");
    var count = document.getElementById("oss-count");
    if (!box || !list || !count) { return; }
    var rows = list.querySelectorAll("li[data-search]");
    var groups = list.querySelectorAll(".oss-group");
    var popular = list.querySelector(".oss-popular");
    function apply() {
      var terms = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var found = 0;
      rows.forEach(function (row) {
        var text = row.getAttribute("data-search");
        var show = terms.every(function (term) { return text.indexOf(term) !== -1; });
        row.hidden = !show;
        if (show) { found += 1; }
      });
      groups.forEach(function (group) {
        if (group === popular) { group.hidden = terms.length > 0; return; }
        group.hidden = !group.querySelector("li[data-search]:not([hidden])");
      });
      if (!terms.length) { count.textContent = ""; return; }
      count.textContent = found ? count.getAttribute("data-found").replace("{n}", found)
        : count.getAttribute("data-none");
    }
    box.addEventListener("input", apply);
    if (box.value) { apply(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", onReady); }
  else { onReady(); }
})();
