// Pickers (core/web/pickers.py): a select[data-picker] becomes an ARIA combobox; date boxes get a calendar button.
// The <select> stays in the form, visually hidden, and holds the value: the page works without this script, other
// scripts read and change the select as before (a "change" on it redraws the combobox), and the server checks
// every submitted id again.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  const pickers = new WeakMap(); // wrapper element -> its picker, to tell a live picker from a cloned copy
  let counter = 0;

  function enhance(select) {
    const multiple = select.multiple;
    const text = (name) => select.dataset["text" + name] || "";
    const remote = select.dataset.optionsUrl;
    const wrapper = document.createElement("div");
    wrapper.className = "picker" + (multiple ? " picker-many" : "");
    select.before(wrapper);
    const chips = document.createElement("ul");
    chips.className = "picker-chips";
    const input = document.createElement("input");
    const listbox = document.createElement("ul");
    const id = "picker-" + (++counter);
    input.type = "text";
    input.id = id + "-input";
    input.className = "picker-input search-select-box";
    input.autocomplete = "off";
    input.placeholder = text("Search");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-list");
    listbox.id = id + "-list";
    listbox.className = "picker-list";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    const label = select.labels?.[0];
    if (label) { label.htmlFor = input.id; input.setAttribute("aria-labelledby", label.id || (label.id = id + "-label")); }
    else input.setAttribute("aria-label", select.getAttribute("aria-label") || "");
    if (select.getAttribute("aria-invalid") === "true") input.setAttribute("aria-invalid", "true");
    if (select.disabled) input.disabled = true;
    if (multiple) {
      chips.setAttribute("aria-label", input.getAttribute("aria-label") || label?.textContent || "");
      wrapper.append(chips);
    }
    wrapper.append(input, listbox);
    wrapper.append(select);
    select.classList.add("picker-source");
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");

    let items = [];   // what the list offers: {id, label} or {create: "quick" | "edit"}
    let active = -1;
    let timer = null; // a search waiting for the typing to pause
    let asked = 0;

    const chosen = () => [...select.selectedOptions].filter((option) => option.value !== "");

    function redraw() {
      if (multiple) {
        chips.replaceChildren(...chosen().map((option) => {
          const chip = document.createElement("li");
          chip.className = "chip";
          chip.dataset.value = option.value;
          const name = document.createElement("span");
          name.textContent = option.textContent;
          const remove = document.createElement("button");
          remove.type = "button";
          remove.className = "chip-remove";
          remove.textContent = "×";
          remove.setAttribute("aria-label", text("Remove").replace("%s", option.textContent));
          remove.disabled = select.disabled;
          remove.addEventListener("click", () => { option.selected = false; changed(); input.focus(); });
          chip.append(name, remove);
          return chip;
        }));
      } else {
        input.value = chosen()[0]?.textContent || "";
      }
    }

    function changed() {
      redraw();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function optionFor(value, labelText) {
      let option = [...select.options].find((found) => found.value === String(value));
      if (!option) {
        option = new Option(labelText, value);
        select.add(option);
      }
      return option;
    }

    function pick(item) {
      if (multiple) {
        optionFor(item.id, item.label).selected = true;
        input.value = "";
      } else {
        select.value = String(optionFor(item.id, item.label).value);
      }
      close();
      changed();
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(results, typed) {
      const taken = new Set(chosen().map((option) => option.value));
      items = results.filter((item) => !multiple || !taken.has(String(item.id)));
      const exact = results.some((item) => fold(item.label) === fold(typed));
      if (typed && select.dataset.createUrl && !exact) items.push({ create: "quick", label: text("Create").replace("%s", typed) });
      if (select.dataset.newUrl && remote) items.push({ create: "edit", label: text("CreateEdit") });
      listbox.replaceChildren(...items.map((item, index) => {
        const row = document.createElement("li");
        row.id = id + "-option-" + index;
        row.setAttribute("role", "option");
        row.setAttribute("aria-selected", "false");
        row.textContent = item.label;
        if (item.create) row.className = "picker-create";
        row.addEventListener("mousedown", (event) => { event.preventDefault(); choose(index); });
        return row;
      }));
      if (!items.some((item) => !item.create)) {
        const none = document.createElement("li");
        none.className = "picker-empty";
        none.textContent = text("Empty");
        listbox.prepend(none);
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      move(items.length && typed ? 0 : -1);
    }

    function move(index) {
      active = index;
      listbox.querySelectorAll("[role=option]").forEach((row, position) => {
        row.setAttribute("aria-selected", String(position === index));
        if (position === index) row.scrollIntoView({ block: "nearest" });
      });
      if (index >= 0) input.setAttribute("aria-activedescendant", id + "-option-" + index);
      else input.removeAttribute("aria-activedescendant");
    }

    async function search() {
      const typed = input.value.trim();
      const ask = ++asked;
      let results;
      if (remote) {
        const url = new URL(remote, window.location.origin);
        url.searchParams.set("q", typed);
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok || ask !== asked) return;
        results = (await response.json()).results;
        for (const item of results) optionFor(item.id, item.label); // a browser test may pick in the select too
      } else {
        const wanted = fold(typed);
        results = [...select.options].filter((option) => option.value !== "")
          .filter((option) => !wanted || fold(option.textContent + " " + (option.dataset.search || "")).includes(wanted))
          .slice(0, 50).map((option) => ({ id: option.value, label: option.textContent }));
      }
      if (document.activeElement === input) show(results, typed);
    }

    async function choose(index) {
      const item = items[index];
      if (!item) return;
      if (item.create === "quick") return quickCreate(input.value.trim());
      if (item.create === "edit") return createAndEdit();
      pick(item);
    }

    async function quickCreate(name) {
      const response = await fetch(select.dataset.createUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
        body: JSON.stringify({ name }),
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) return pick(data);
      listbox.replaceChildren(Object.assign(document.createElement("li"), { className: "picker-empty", textContent: data.error || response.statusText }));
    }

    // The target's new form opens in a window; once saved, its record page there hands the new record back.
    function createAndEdit() {
      close();
      const url = new URL(select.dataset.newUrl, window.location.origin);
      window.open(url, "bottega-picker-" + id, "popup,width=900,height=760");
      window.addEventListener("message", async function handed(event) {
        if (event.origin !== window.location.origin || event.data?.picker !== id) return;
        window.removeEventListener("message", handed);
        const ask = new URL(remote, window.location.origin);
        ask.searchParams.set("ids", event.data.id);
        const response = await fetch(ask, { headers: { Accept: "application/json" } });
        const found = response.ok ? (await response.json()).results[0] : null;
        if (found) pick(found); // a record the user may not pick here is not offered
      });
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => { timer = null; search(); }, remote ? 200 : 0);
    });
    input.addEventListener("focus", () => { if (multiple || !input.value) search(); });
    input.addEventListener("click", () => { if (listbox.hidden) search(); });
    input.addEventListener("blur", () => {
      close();
      if (multiple) return; // the chips stay as they are (a click on a chip's button is under way)
      if (!input.value.trim() && chosen().length) { select.value = ""; changed(); }
      else redraw(); // text typed but not picked gives way to the choice
    });
    input.addEventListener("keydown", (event) => {
      const open = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) return search();
        move(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (open) move(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (!open && timer === null) return; // Enter in a closed box submits the form
        event.preventDefault();
        if (timer !== null) { // what was typed last is not searched yet: the list on screen is an older one
          clearTimeout(timer);
          timer = null;
          search().then(() => { if (active >= 0) choose(active); });
        } else if (active >= 0) choose(active);
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); redraw(); }
      } else if (event.key === "Backspace" && multiple && !input.value) {
        const last = chosen().pop();
        if (last) { last.selected = false; changed(); }
      }
    });
    select.addEventListener("change", redraw);
    pickers.set(wrapper, { select });
    redraw();
  }

  // A row copied by the line editor carries a copy of the combobox around its select: drop the copy, enhance anew.
  function enhanceWithin(root) {
    root.querySelectorAll?.(".picker").forEach((wrapper) => {
      if (pickers.has(wrapper)) return;
      const select = wrapper.querySelector("select[data-picker]");
      if (select) wrapper.replaceWith(select);
      else wrapper.remove();
    });
    const selects = root.matches?.("select[data-picker]") ? [root] : root.querySelectorAll?.("select[data-picker]") || [];
    selects.forEach((select) => { if (!select.closest(".picker")) enhance(select); });
  }

  // Dates typed in the user's format; the button opens the browser's calendar and writes the chosen day back.
  function calendar(box) {
    const pattern = box.dataset.datePattern;
    if (!pattern || /HH/.test(pattern) || box.disabled) return;
    const native = document.createElement("input");
    native.type = "date";
    native.className = "date-native";
    native.tabIndex = -1;
    native.setAttribute("aria-hidden", "true");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button ghost small date-button";
    const svg = "http://www.w3.org/2000/svg";
    const icon = document.createElementNS(svg, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("class", "icon");
    icon.setAttribute("aria-hidden", "true");
    const path = document.createElementNS(svg, "path");
    path.setAttribute("d", "M7 2h2v2h6V2h2v2h3v17H4V4h3zm-1 7v10h12V9zm2 2h3v3H8z");
    icon.append(path);
    button.append(icon);
    button.setAttribute("aria-label", box.dataset.textCalendar || "");
    button.title = box.dataset.textCalendar || "";
    const pad = (n, size) => String(n).padStart(size, "0");
    native.addEventListener("change", () => {
      const [year, month, day] = native.value.split("-");
      if (!year) return;
      box.value = pattern.replace("yyyy", pad(year, 4)).replace("MM", pad(month, 2)).replace("dd", pad(day, 2));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    });
    button.addEventListener("click", () => {
      const order = ["dd", "MM", "yyyy"].sort((a, b) => pattern.indexOf(a) - pattern.indexOf(b));
      const parts = box.value.match(/\d+/g) || [];
      if (parts.length === 3) {
        const value = Object.fromEntries(order.map((key, index) => [key, parts[index]]));
        native.value = `${pad(value.yyyy, 4)}-${pad(value.MM, 2)}-${pad(value.dd, 2)}`;
      }
      try { native.showPicker(); } catch { native.focus(); }
    });
    const row = document.createElement("span");
    row.className = "date-input";
    box.before(row);
    row.append(box, button, native);
  }

  enhanceWithin(document);
  document.querySelectorAll("input[data-date-pattern]").forEach(calendar);
  new MutationObserver((changes) => {
    changes.forEach((change) => change.addedNodes.forEach((node) => { if (node.nodeType === 1) enhanceWithin(node); }));
  }).observe(document.body, { childList: true, subtree: true });

  // Opened by "Create and edit…": once the new record is saved, its page hands it back to the form that asked.
  const asked = window.name.startsWith("bottega-picker-") && window.opener;
  const saved = window.location.pathname.match(/\/(\d+)\/?$/);
  if (asked && saved) {
    window.opener.postMessage({ picker: window.name.slice("bottega-picker-".length), id: saved[1] }, window.location.origin);
    window.close();
  }
})();
