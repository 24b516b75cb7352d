// The record page (core/record.html): the status bar's stages and the fields card's edit in place.
// Without JavaScript both still work: a stage is a form button, Edit opens the edit page.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  // A stage clicked in the status bar: posted as JSON to the kanban's stage route (the same service and rules);
  // the page is read again once it is saved, or the refusal is shown above the bar and nothing moves.
  document.querySelectorAll("[data-status-bar]").forEach((bar) => {
    const problem = bar.querySelector(".status-error");
    bar.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = event.submitter;
      if (!button) return;
      bar.querySelectorAll("button").forEach((each) => { each.disabled = true; });
      const response = await fetch(bar.action, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
        body: JSON.stringify({ stage: button.value }),
      });
      if (response.ok) {
        window.location.reload();
        return;
      }
      const data = await response.json().catch(() => ({}));
      problem.textContent = data.error || response.statusText;
      problem.hidden = false;
      bar.querySelectorAll("button").forEach((each) => { each.disabled = false; });
    });
  });

  // Edit in place: the Edit button swaps the fields card for the same form the edit page has; Cancel swaps back.
  const form = document.querySelector("[data-in-place]");
  const fields = document.querySelector("[data-record-fields]");
  const edit = document.querySelector("[data-edit-in-place]");
  if (!form || !fields || !edit) return;
  const show = (editing) => {
    form.hidden = !editing;
    fields.hidden = editing;
    edit.setAttribute("aria-expanded", String(editing));
    if (editing) form.querySelector("input:not([type=hidden]), select, textarea")?.focus();
  };
  edit.addEventListener("click", (event) => {
    event.preventDefault();
    show(true);
  });
  form.querySelector("[data-cancel-in-place]")?.addEventListener("click", (event) => {
    event.preventDefault();
    form.reset();
    show(false);
    edit.focus();
  });
})();
