// The inbox's bulk bar: show only the fields of the chosen action. Each field says which
// actions use it (data-for, from the action table); without JavaScript every field shows,
// with a note saying which to fill in.
(function () {
  "use strict";
  function setUp(form) {
    var select = form.querySelector("select[name=action]");
    if (!select) return;
    var fields = form.querySelectorAll("[data-for]");
    var note = form.querySelector("[data-bulk-note]");
    if (note) note.hidden = true;
    function update() {
      var chosen = select.value;
      fields.forEach(function (field) {
        var uses = (field.getAttribute("data-for") || "").split(" ");
        field.hidden = uses.indexOf(chosen) === -1;
      });
    }
    select.addEventListener("change", update);
    update();
  }
  function start() {
    document.querySelectorAll("#bulk-form").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
