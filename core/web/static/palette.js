// The global search and command palette: Ctrl+K / Cmd+K or the top bar's button opens it; it asks
// /palette.json (core/web/palette.py) as the user types and lists menus, actions and records.
// Arrows move through the results, Enter opens one, Escape closes the dialog (a native <dialog>).
(function () {
  "use strict";
  const dialog = document.querySelector("dialog.palette");
  if (!dialog) return;
  const input = dialog.querySelector("input");
  const list = dialog.querySelector("[role=listbox]");
  const status = dialog.querySelector(".palette-status");
  let options = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function open() {
    if (dialog.open) return;
    dialog.showModal();
    input.select();
  }

  function choose(index) {
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function option(label, url, detail) {
    const item = document.createElement("li");
    item.setAttribute("role", "option");
    item.id = "palette-option-" + list.children.length;
    item.dataset.url = url;
    item.textContent = label;
    if (detail) {
      const small = document.createElement("small");
      small.textContent = detail;
      item.append(small);
    }
    list.append(item);
  }

  function heading(text) {
    const item = document.createElement("li");
    item.setAttribute("role", "presentation");
    item.className = "palette-group";
    item.textContent = text;
    list.append(item);
  }

  function show(data) {
    list.replaceChildren();
    if (data.commands.length) heading(dialog.dataset.menus);
    data.commands.forEach((command) => option(command.label, command.url));
    data.groups.forEach((group) => {
      heading(group.label);
      group.results.forEach((result) => option(result.label, result.url));
      option(dialog.dataset.all, group.url, group.label);
    });
    options = [...list.querySelectorAll("[role=option]")];
    input.setAttribute("aria-expanded", String(options.length > 0));
    status.textContent = data.query && !options.length ? dialog.dataset.empty : "";
    choose(options.length ? 0 : -1);
  }

  async function ask() {
    const number = ++asked;
    const url = new URL(dialog.dataset.url, window.location.origin);
    url.searchParams.set("q", input.value);
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || number !== asked) return;  // a later keystroke's answer wins
    show(await response.json());
  }

  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
      event.preventDefault();
      open();
    }
  });
  document.querySelectorAll("[data-palette-open]").forEach((button) => button.addEventListener("click", open));

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      choose((active + 1) % options.length);
    } else if (event.key === "ArrowUp" && options.length) {
      event.preventDefault();
      choose((active - 1 + options.length) % options.length);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location = options[active].dataset.url;
    } else if (event.key === "Escape") {  // a search box would take the first Escape to clear itself
      event.preventDefault();
      dialog.close();
    }
  });
  list.addEventListener("click", (event) => {
    const item = event.target.closest("[role=option]");
    if (item) window.location = item.dataset.url;
  });
  // a click on the backdrop (outside the dialog's box) closes it, as Escape does
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
})();
