/* The progress page of a long task (an import, an export): polls its status and shows the result when it ends.
   Without JavaScript the page refreshes itself (a <noscript> refresh); this replaces that with a light poll. */
(function () {
  "use strict";
  var POLL_MS = 1000;

  function follow(box) {
    var url = box.getAttribute("data-task-status");
    var bar = box.querySelector("[data-task-bar]");
    var text = box.querySelector("[data-task-text]");
    var percent = box.querySelector("[data-task-percent]");
    var label = box.querySelector("[data-task-label]");

    function show(status) {
      bar.max = Math.max(status.total, 1);
      bar.value = status.done;
      bar.textContent = status.percent + "%";
      text.textContent = status.text;
      percent.textContent = status.percent;
      label.textContent = status.label;
    }

    function poll() {
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (status) {
          show(status);
          if (status.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () { window.setTimeout(poll, POLL_MS * 5); });
    }

    window.setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-task-status]").forEach(follow);
  });
})();
