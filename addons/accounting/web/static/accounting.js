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

// The invoice line editor: add and remove rows, keeping WTForms' lines-N-field names in order.
(function () {
  "use strict";
  const table = document.querySelector("[data-lines]");
  if (!table) return;
  const body = table.querySelector("tbody");

  function renumber() {
    body.querySelectorAll("tr[data-line]").forEach((row, index) => {
      row.querySelectorAll("[name]").forEach((field) => {
        field.name = field.name.replace(/^lines-\d+-/, "lines-" + index + "-");
        if (field.id) field.id = field.id.replace(/^lines-\d+-/, "lines-" + index + "-");
      });
    });
  }

  document.querySelector("[data-add-line]")?.addEventListener("click", () => {
    const last = body.querySelector("tr[data-line]:last-child");
    const row = last.cloneNode(true);
    row.querySelectorAll("input").forEach((input) => {
      input.value = input.name.endsWith("-quantity") ? "1" : input.name.endsWith("-discount") ? "0" : "";
      input.removeAttribute("aria-invalid");
    });
    row.querySelectorAll("select").forEach((select) => {
      [...select.options].forEach((option) => { option.selected = false; });
      // a new line keeps the previous line's account, never its product
      const keep = !select.multiple && !select.name.endsWith("-product_id");
      select.value = keep ? last.querySelector(`select[name="${select.name}"]`)?.value || "" : "";
    });
    row.querySelectorAll(".errors").forEach((list) => list.remove());
    row.querySelectorAll(".has-error").forEach((cell) => cell.classList.remove("has-error"));
    body.appendChild(row);
    renumber();
    row.querySelector("input")?.focus();
  });

  body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-remove-line]");
    if (!button) return;
    const rows = body.querySelectorAll("tr[data-line]");
    const row = button.closest("tr");
    if (rows.length > 1) row.remove();
    else row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    renumber();
  });
})();
