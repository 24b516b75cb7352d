// The list's filter builder (core/_analysis_bar.html): the operators and the value input follow the chosen
// field's kind (a date picker for dates, a number box for numbers, two boxes for "between", none for
// "is set"). Without this script every operator is offered and the server refuses what does not fit.
(function () {
  "use strict";
  const INPUT_TYPES = { date: "date", datetime: "date", int: "number", decimal: "text" };
  const YES_NO = { bool: true };

  function follow(form) {
    const field = form.querySelector("[data-filter-field]");
    const operator = form.querySelector("[data-filter-operator]");
    const value = form.querySelector("[data-filter-value]");
    const range = form.querySelector("[data-filter-range]");
    const upTo = range.querySelector("input");

    function kindChanged() {
      const chosen = field.selectedOptions[0];
      if (!chosen) return;
      const allowed = chosen.dataset.operators.split(" ");
      Array.from(operator.options).forEach((option) => {
        option.hidden = !allowed.includes(option.value);
        option.disabled = option.hidden;
      });
      if (!allowed.includes(operator.value)) operator.value = allowed[0];
      const type = INPUT_TYPES[chosen.dataset.kind] || "text";
      value.type = type;
      upTo.type = type;
      value.inputMode = chosen.dataset.kind === "decimal" ? "decimal" : "";
      value.setAttribute("list", YES_NO[chosen.dataset.kind] ? "filter-yes-no" : "");
      operatorChanged();
    }

    function operatorChanged() {
      const bare = operator.value === "set" || operator.value === "unset";
      value.hidden = bare;
      value.disabled = bare;
      range.hidden = operator.value !== "between";
      upTo.disabled = range.hidden;
    }

    field.addEventListener("change", kindChanged);
    operator.addEventListener("change", operatorChanged);
    kindChanged();
  }

  document.querySelectorAll("[data-filter-builder]").forEach(follow);
})();
