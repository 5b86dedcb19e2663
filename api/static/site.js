// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen readers announce what went wrong.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }

    // Cross-district list: show only districts within the chosen travel time, live.
    var travel = document.getElementById("field-max_travel_minutes");
    var rows = document.querySelectorAll("[data-travel-minutes]");
    function filter() {
      var limit = parseInt(travel.value, 10);
      rows.forEach(function (row) {
        var minutes = parseInt(row.getAttribute("data-travel-minutes"), 10);
        row.hidden = !(limit > 0) || minutes > limit;
      });
    }
    if (travel && rows.length) {
      travel.addEventListener("change", filter);
      filter();
    }
  });
})();
