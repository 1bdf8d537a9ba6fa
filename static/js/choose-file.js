/* File inputs (core/widgets/choose_file.html): the page's own "choose file" button is a label
   of the input, which works without this file; this only writes the chosen names beside it,
   since the browser's own text (in the browser's language) is hidden. Included once per input:
   each input is handled once. */
(function () {
  "use strict";
  function onReady() {
    document.querySelectorAll(".file-pick input[type=file]:not([data-chosen])").forEach(function (input) {
      input.setAttribute("data-chosen", "");
      var shown = input.parentNode.querySelector(".file-chosen");
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
        shown.textContent = names.join(", ");
        shown.hidden = names.length === 0;
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", onReady); }
  else { onReady(); }
})();
