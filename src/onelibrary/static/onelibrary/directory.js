// The directory's map: Leaflet (vendored) with a marker per branch. Tiles come from the
// server the group set (ONELIBRARY_MAP_TILE_URL); with none, or when they fail, the
// markers stand on a plain background. The list below the map is the page itself: it
// works with JavaScript off, and every marker links back to its entry.
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("branch-map");
    var data = document.getElementById("branch-markers");
    if (!box || !data || !window.L) { return; }
    var markers = JSON.parse(data.textContent);
    if (!markers.length) { return; }
    box.hidden = false;
    var note = document.getElementById("map-note");
    if (note) { note.hidden = true; }
    var map = L.map(box, { scrollWheelZoom: false });
    var tiles = box.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: box.dataset.attribution || "" }).addTo(map);
    } else {
      box.classList.add("no-tiles");
    }
    // The view first: Leaflet draws a marker (and gives it an element) only on a map
    // that has one.
    var points = markers.map(function (m) { return [m.lat, m.lon]; });
    if (points.length === 1) {
      map.setView(points[0], 11);
    } else {
      map.fitBounds(points, { padding: [30, 30] });
    }
    var byCode = {};
    markers.forEach(function (m) {
      var popup = document.createElement("div");
      var name = document.createElement("strong");
      name.textContent = m.name;
      var where = document.createElement("div");
      where.textContent = m.library + (m.town ? ", " + m.town : "");
      var link = document.createElement("a");
      link.href = "#" + m.anchor;
      link.textContent = "Hours and contacts";
      popup.append(name, where, link);
      var marker = L.marker([m.lat, m.lon], { title: m.name, alt: m.name })
        .bindPopup(popup)
        .addTo(map);
      marker.getElement().dataset.code = m.code;
      byCode[m.code] = marker;
    });
    document.querySelectorAll(".show-on-map").forEach(function (button) {
      var marker = byCode[button.dataset.code];
      if (!marker) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        box.scrollIntoView({ block: "center" });
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 10));
        marker.openPopup();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
