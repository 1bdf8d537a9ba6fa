/* The citizen wizard's small enhancements. Every page works without this file. */
(function () {
  "use strict";
  function $(selector, root) { return (root || document).querySelector(selector); }

  function onReady() {
    // Move focus to the error summary so screen readers announce it.
    var summary = $("#error-summary");
    if (summary) { summary.focus(); }

    // Review: "ส่งเรื่อง" opens the confirmation dialog instead of the confirmation page.
    var opener = $("[data-dialog]");
    if (opener && window.HTMLDialogElement) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog"));
      opener.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.showModal();
      });
      dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
    }

    // A final submit button sends once; the server is idempotent anyway.
    document.querySelectorAll("[data-once]").forEach(function (button) {
      button.form.addEventListener("submit", function () {
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });

    // Files: say at once when a file is over the limit, before uploading it.
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () {
        var max = parseInt(input.getAttribute("data-max-bytes"), 10);
        var big = Array.prototype.filter.call(input.files, function (f) { return f.size > max; });
        input.setCustomValidity(big.length ? big.map(function (f) { return f.name; }).join(", ") +
          ": " + (document.documentElement.lang === "en" ? "larger than " : "ใหญ่เกิน ") +
          Math.round(max / 1048576) + " MB" : "");
        input.reportValidity();
      });
    });

    // Copy the request number.
    var copy = $("[data-copy]");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var text = document.getElementById(copy.getAttribute("data-copy")).textContent.trim();
        navigator.clipboard.writeText(text).then(function () {
          $("#copy-status").textContent = "✓ " + text;
        });
      });
    }

    placeStep();
  }

  function placeStep() {
    var form = $("form[data-lookup]");
    if (!form) { return; }
    var field = function (name) { return form.elements[name]; };

    // Subdistrict → district, province, postcode (the server does the same without JS).
    field("subdistrict").addEventListener("change", function () {
      var params = new URLSearchParams({
        subdistrict: field("subdistrict").value, district: field("district").value,
        province: field("province").value
      });
      fetch(form.getAttribute("data-lookup") + "?" + params).then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.matches.length !== 1) { return; }
          var m = data.matches[0];
          field("district").value = m.district;
          field("province").value = m.province;
          if (m.postcode) { field("postcode").value = m.postcode; }
          field("subdistrict_code").value = m.code;
        }).catch(function () {});
    });

    var lat = field("latitude"), lng = field("longitude");
    var status = $("#location-status");
    var locate = $("#use-location");
    var marker = null, map = null;
    function setPin(latitude, longitude, pan) {
      lat.value = latitude.toFixed(6);
      lng.value = longitude.toFixed(6);
      if (locate) { status.textContent = "✓ " + (locate.getAttribute("data-pinned") || ""); }
      if (!map) { return; }
      if (marker) { marker.setLatLng([latitude, longitude]); }
      else { marker = window.L.marker([latitude, longitude]).addTo(map); }
      if (pan) { map.setView([latitude, longitude], 17); }
    }

    // The map opens on the pin, else on the organisation's area (data-lat/-lng/-zoom, chosen
    // by the server: eservice.selectors.map_start). data-view says where it is now.
    var mapBox = $("#map");
    if (mapBox && window.L) {
      mapBox.hidden = false;
      var pinLat = parseFloat(lat.value), pinLng = parseFloat(lng.value);
      var pinned = !isNaN(pinLat) && !isNaN(pinLng);
      var start = pinned ? [pinLat, pinLng]
        : [parseFloat(mapBox.getAttribute("data-lat")), parseFloat(mapBox.getAttribute("data-lng"))];
      map = window.L.map(mapBox).setView(start, pinned ? 17 : parseInt(mapBox.getAttribute("data-zoom"), 10));
      window.L.tileLayer(mapBox.getAttribute("data-tiles"), {
        maxZoom: 19, attribution: mapBox.getAttribute("data-attribution")
      }).addTo(map);
      var show = function () {
        var c = map.getCenter();
        mapBox.setAttribute("data-view", c.lat.toFixed(6) + "," + c.lng.toFixed(6) + "," + map.getZoom());
      };
      map.on("moveend", show);
      show();
      if (pinned) { setPin(pinLat, pinLng, false); }
      map.on("click", function (event) { setPin(event.latlng.lat, event.latlng.lng, false); });
      var noMap = $("#no-map-help");
      if (noMap) { noMap.hidden = true; }
    }

    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        status.textContent = locate.getAttribute("data-wait") || "…";
        navigator.geolocation.getCurrentPosition(function (position) {
          setPin(position.coords.latitude, position.coords.longitude, true);
        }, function () {
          status.textContent = locate.getAttribute("data-failed") || "✗";
        }, { enableHighAccuracy: true, timeout: 15000 });
      });
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", onReady); }
  else { onReady(); }
})();
