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

    // A background job's progress (recommendations): poll its state, show its words, and
    // reload once it is finished. Without this the page has a "check again" button.
    var job = document.querySelector("[data-job-progress]");
    var said = document.getElementById("job-progress");
    function poll() {
      fetch(job.getAttribute("data-job-progress"), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (state) {
        if (!state) { return; }
        if (state.finished) { window.location.reload(); return; }
        if (said.textContent !== state.text) { said.textContent = state.text; }
        window.setTimeout(poll, 1000);
      }).catch(function () { window.setTimeout(poll, 5000); });
    }
    if (job && said && window.fetch) { window.setTimeout(poll, 1000); }
  });
})();
