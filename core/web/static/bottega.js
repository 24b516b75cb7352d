// Bottega's own behaviour for the generic views: kept small and dependency-free.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // Selects and checkboxes that apply at once (company switch, list filters).
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
    if (event.target.matches("[data-select-all]")) {
      event.target.form.querySelectorAll('input[name="ids"]').forEach((box) => { box.checked = event.target.checked; });
    }
  });

  // A click anywhere on a list row opens the record.
  document.addEventListener("click", (event) => {
    const row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input, label")) window.location = row.dataset.href;
  });

  // Kanban: fold a column from its header; the folded stages are remembered per view in this browser.
  const board = document.querySelector(".kanban");
  if (board) {
    const key = board.dataset.foldKey;
    const stored = () => { try { return JSON.parse(localStorage.getItem(key)) || []; } catch { return []; } };
    const fold = (column, folded) => {
      column.classList.toggle("folded", folded);
      column.querySelector(".kanban-fold").setAttribute("aria-expanded", String(!folded));
    };
    const folded = new Set(stored());
    board.querySelectorAll(".kanban-column").forEach((column) => {
      fold(column, folded.has(column.dataset.stage));
      column.querySelector(".kanban-fold").addEventListener("click", () => {
        const now = new Set(stored());
        if (now.has(column.dataset.stage)) now.delete(column.dataset.stage); else now.add(column.dataset.stage);
        fold(column, now.has(column.dataset.stage));
        localStorage.setItem(key, JSON.stringify([...now]));
      });
    });
  }

  // The server counts and sums the columns (money formatted there, never added up with JS floats).
  function showTotals(totals) {
    board.querySelectorAll(".kanban-column").forEach((column) => {
      const total = totals[column.dataset.stage];
      if (!total) return;
      column.querySelector("h2 .count").textContent = total.count;
      const sum = column.querySelector("h2 .sum");
      if (sum) sum.textContent = total.sum;
    });
  }

  // Kanban: quick create in a column (the title and the column's stage), errors shown in the column.
  if (board && board.dataset.createUrl) {
    board.querySelectorAll(".kanban-quick").forEach((form) => {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const input = form.elements.title;
        const problem = form.querySelector(".kanban-quick-error");
        const response = await fetch(board.dataset.createUrl, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
          body: JSON.stringify({ stage: form.dataset.stage, title: input.value }),
        });
        const data = await response.json().catch(() => ({}));
        if (!response.ok) {
          problem.textContent = data.error || response.statusText;
          problem.hidden = false;
          return;
        }
        problem.hidden = true;
        input.value = "";
        const card = document.createElement("article");
        card.className = "kanban-card";
        card.dataset.id = data.id;
        card.draggable = board.dataset.canWrite === "true";
        const link = document.createElement("a");
        link.href = data.url;
        link.textContent = data.title;
        card.appendChild(link);
        form.closest(".kanban-column").querySelector(".kanban-cards").prepend(card);
        showTotals(data.totals);
      });
    });
  }

  // Kanban: drag a card to another column, or choose the column in the card's "Move" menu (the keyboard's way);
  // the server applies the same rules as the form, and a refused move puts the card back.
  if (board && board.dataset.canWrite === "true") {
    const error = document.querySelector(".kanban-error");
    const columnOf = (stage) => [...board.querySelectorAll(".kanban-column")].find((c) => c.dataset.stage === stage);
    async function move(card, column) {
      const origin = card.closest(".kanban-column");
      if (origin === column) return;
      const mark = (stage) => card.querySelectorAll(".kanban-move button").forEach((button) => {
        button.disabled = button.dataset.stage === stage;
      });
      column.querySelector(".kanban-cards").appendChild(card);
      mark(column.dataset.stage);
      const url = board.dataset.stageUrl.replace(/\/0\/stage(?=\?|$)/, "/" + card.dataset.id + "/stage");
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
        body: JSON.stringify({ stage: column.dataset.stage }),
      });
      if (response.ok) {
        error.hidden = true;
        showTotals((await response.json()).totals);
      } else {
        origin.querySelector(".kanban-cards").appendChild(card);
        mark(origin.dataset.stage);
        const data = await response.json().catch(() => ({}));
        error.textContent = data.error || response.statusText;
        error.hidden = false;
      }
    }
    board.addEventListener("click", (event) => {
      const button = event.target.closest(".kanban-move button");
      if (!button) return;
      const menu = button.closest("details");
      menu.open = false;
      move(button.closest(".kanban-card"), columnOf(button.dataset.stage)).then(() => menu.querySelector("summary").focus());
    });
    let dragged = null;
    board.addEventListener("dragstart", (event) => {
      dragged = event.target.closest(".kanban-card");
      if (!dragged) return;
      dragged.classList.add("dragging");
      event.dataTransfer.setData("text/plain", dragged.dataset.id);
    });
    board.addEventListener("dragend", () => dragged?.classList.remove("dragging"));
    board.querySelectorAll(".kanban-column").forEach((column) => {
      column.addEventListener("dragover", (event) => { event.preventDefault(); column.classList.add("over"); });
      column.addEventListener("dragleave", () => column.classList.remove("over"));
      column.addEventListener("drop", (event) => {
        event.preventDefault();
        column.classList.remove("over");
        if (dragged) move(dragged, column);
      });
    });
  }
})();

// The line editor of documents with lines (invoices, purchase orders, core/lines_form.html): add and remove rows, keeping WTForms' lines-N-field names in order.
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
      // a new line keeps the previous line's choices (an account, a unit), never its product
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
