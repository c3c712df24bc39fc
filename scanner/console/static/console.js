// piiscan review console: small progressive enhancements only; every page works without script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Filters apply as soon as a select changes.
  document.querySelectorAll("form.filters select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // An acceptance needs an expiry: make the date field required while "accepted" is chosen.
  var status = document.getElementById("triage-status");
  var until = document.getElementById("triage-until");
  if (status && until) {
    var sync = function () { until.required = status.value === "accepted"; };
    status.addEventListener("change", sync);
    sync();
  }
});
