// The reports page shows the dates (or budget) the chosen report asks for, and only those.
(function () {
  "use strict";
  const choice = document.querySelector("[data-report-choice]");
  if (!choice) return;
  function show() {
    const asks = choice.selectedOptions[0]?.dataset.asks;
    document.querySelectorAll("[data-for]").forEach((field) => { field.hidden = field.dataset.for !== asks; });
  }
  choice.addEventListener("change", show);
  show();
})();
