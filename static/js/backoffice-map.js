/* The place of a request on a map (progressive: without JavaScript the link to the map stays). */
(function () {
  "use strict";
  var box = document.getElementById("case-map");
  if (!box || typeof L === "undefined") { return; }
  var lat = parseFloat(box.dataset.lat), lon = parseFloat(box.dataset.lon);
  if (isNaN(lat) || isNaN(lon)) { return; }
  box.hidden = false;
  var map = L.map(box, { scrollWheelZoom: false }).setView([lat, lon], 17);
  // The platform's tiles (ONESTOP_MAP_TILES_URL), as on the citizen's map.
  L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution || "" }).addTo(map);
  L.marker([lat, lon], { alt: box.dataset.label || "" }).addTo(map);
})();
