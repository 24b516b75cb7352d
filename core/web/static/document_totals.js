// Live totals of a document form (core/lines_form.html with data-preview, core.web.previews): as the user types,
// the form is posted to the view's preview, which the same service as saving computes without writing; the
// answer fills each line's subtotal, the taxes and the totals, and a bad value is marked next to its input.
// Choosing a product asks the service for that line's defaults (description, price, taxes, account or unit).
// Without JavaScript the form still saves, and the totals are computed then.
(function () {
  "use strict";
  const form = document.querySelector("form[data-preview]");
  if (!form) return;
  const panel = form.querySelector("[data-document-totals]");
  const body = form.querySelector("[data-lines] tbody");
  const status = panel.querySelector("[data-totals-status]");
  const WAIT = 300; // ms after the last key before asking
  const REFILLED = ["description", "unit_price", "tax_ids", "account_id", "uom_id"];
  let timer = null;
  let asked = 0;
  // rows (their tr) whose product was just chosen -> the fields to take from the product's defaults (those the
  // user has not typed in since)
  const refill = new Map();

  panel.querySelector("[data-totals-note]").hidden = true;

  function prefixOf(row) {
    const named = row.querySelector("[name^='lines-']");
    return named ? named.name.match(/^lines-\d+/)[0] : null;
  }

  function rowOf(prefix) {
    const field = body.querySelector(`[name^="${prefix}-"]`);
    return field ? field.closest("tr[data-line]") : null;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(ask, WAIT);
  }

  function payload() {
    const data = new FormData(form);
    refill.forEach((names, row) => {
      const prefix = row.isConnected ? prefixOf(row) : null;
      if (prefix) names.forEach((name) => data.delete(`${prefix}-${name}`));
    });
    return data;
  }

  function badNumbers() {
    // a number input holding what is no number (2e, 1..5) sends nothing, which saving would read as "empty"
    const message = status.dataset.badNumber;
    return [...form.querySelectorAll("input[type=number]")].filter((input) => input.validity.badInput)
      .map((input) => ({ field: input.name, message }));
  }

  async function ask() {
    const number = ++asked;
    const bad = badNumbers();
    if (bad.length) { showProblems(bad); return; }
    const filling = new Map([...refill].map(([row, names]) => [row, new Set(names)]));
    panel.setAttribute("aria-busy", "true");
    let response;
    try {
      response = await fetch(form.dataset.preview, {
        method: "POST", body: payload(), credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
      });
    } catch (error) {
      if (number === asked) showProblems([{ field: null, message: status.dataset.offline }]);
      return;
    }
    if (number !== asked) return; // a newer question is on its way
    panel.removeAttribute("aria-busy");
    const answer = await response.json().catch(() => ({}));
    filling.forEach((_names, row) => refill.delete(row));
    if (response.ok) show(answer, filling);
    else showProblems(answer.errors || [{ field: null, message: answer.error || response.statusText }]);
  }

  function clearProblems() {
    form.querySelectorAll("[data-live-error]").forEach((list) => {
      list.closest("td")?.classList.remove("has-error");
      list.remove();
    });
    form.querySelectorAll("[data-live-invalid]").forEach((input) => {
      input.setAttribute("aria-invalid", "false");
      input.removeAttribute("data-live-invalid");
    });
    status.textContent = "";
    panel.classList.remove("stale");
  }

  function showProblems(errors) {
    clearProblems();
    panel.removeAttribute("aria-busy");
    panel.classList.add("stale");
    const general = [];
    errors.forEach(({ field, message }) => {
      const input = field ? form.querySelector(`[name="${CSS.escape(field)}"], [name^="${CSS.escape(field)}-"]`) : null;
      if (!input) { general.push(message); return; }
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("data-live-invalid", "");
      const cell = input.closest("td") || input.closest(".field") || input.parentElement;
      const list = document.createElement("ul");
      list.className = "errors";
      list.setAttribute("data-live-error", "");
      const item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
      cell.appendChild(list);
      cell.classList.add("has-error");
      general.push(message);
    });
    status.textContent = general.join(" ");
  }

  function fill(row, values, names) {
    Object.entries(values).forEach(([name, value]) => {
      if (!names.has(name)) return;
      const prefix = prefixOf(row);
      const input = row.querySelector(`[name="${prefix}-${name}"]`);
      if (!input) return;
      if (input.multiple) {
        const chosen = new Set((value || []).map(String));
        [...input.options].forEach((option) => { option.selected = chosen.has(option.value); });
      } else {
        input.value = value === null || value === undefined ? "" : String(value);
      }
    });
  }

  function show(answer, filling) {
    clearProblems();
    const seen = new Set();
    answer.lines.forEach((line) => {
      const row = rowOf(line.row);
      if (!row) return;
      seen.add(row);
      row.querySelector("[data-line-subtotal]").textContent = line.subtotal.display;
      if (filling.has(row)) fill(row, line.values, filling.get(row));
    });
    body.querySelectorAll("tr[data-line]").forEach((row) => {
      if (!seen.has(row)) row.querySelector("[data-line-subtotal]").textContent = "";
    });
    ["untaxed", "tax", "total"].forEach((name) => {
      const cell = panel.querySelector(`[data-total="${name}"]`);
      if (cell) cell.textContent = answer[name].display; // a document without taxes shows only its total
    });
    const rows = panel.querySelector("[data-tax-rows]");
    if (!rows) return;
    const template = panel.querySelector("template[data-tax-row]");
    const onBase = panel.querySelector("[data-text-on-base]").textContent;
    rows.replaceChildren(...answer.taxes.map((tax) => {
      const row = template.content.firstElementChild.cloneNode(true);
      row.querySelector("[data-tax-name]").textContent = tax.name;
      row.querySelector("[data-tax-base]").textContent = onBase.replace("{base}", tax.base.display);
      row.querySelector("[data-tax-amount]").textContent = tax.amount.display;
      return row;
    }));
  }

  function typedIn(target) {
    // what the user types or chooses after choosing the product is theirs: it is neither sent empty nor replaced
    const row = target.closest("tr[data-line]");
    const name = (target.name || "").replace(/^lines-\d+-/, "");
    refill.get(row)?.delete(name);
  }

  form.addEventListener("input", (event) => {
    if (!event.target.matches("input[type=text], input:not([type]), input[type=number], textarea")) return;
    typedIn(event.target);
    schedule();
  });
  form.addEventListener("change", (event) => {
    const target = event.target;
    const row = target.closest("tr[data-line]");
    const product = row?.querySelector("select[name$='-product_id']");
    if (row && product?.value && (target === product || target.closest(".variant-values"))) {
      refill.set(row, new Set(REFILLED));
    } else {
      typedIn(target);
    }
    schedule();
  });
  form.addEventListener("click", (event) => {
    if (event.target.closest("[data-add-line], [data-remove-line]")) schedule();
  });
})();
