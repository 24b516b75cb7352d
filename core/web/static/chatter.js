// The chatter aside of record pages: its tabs (note, activity, attachment), the file size check before an
// upload leaves the browser, and the composer's template choice. Plain JS, no inline handlers (CSP).
(function () {
  "use strict";

  function showTab(button) {
    var aside = button.closest(".chatter");
    aside.querySelectorAll("[data-chatter-tab]").forEach(function (other) {
      var selected = other === button;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.classList.toggle("ghost", !selected);
      var panel = document.getElementById(other.dataset.chatterTab);
      if (panel) { panel.hidden = !selected; }
    });
    var first = document.getElementById(button.dataset.chatterTab).querySelector("textarea, input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  function checkSizes(input) {
    var limit = Number(input.dataset.maxBytes), error = input.form.querySelector(".chatter-file-error");
    var tooLarge = Array.prototype.filter.call(input.files, function (file) { return file.size > limit; });
    error.hidden = tooLarge.length === 0;
    error.textContent = tooLarge.map(function (file) {
      return input.dataset.tooLarge.replace("{name}", file.name);
    }).join(" ");
    input.setCustomValidity(tooLarge.length ? error.textContent : "");
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest("[data-chatter-tab]");
    if (tab) { showTab(tab); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches(".chatter input[type=file][data-max-bytes]")) { checkSizes(event.target); }
    if (event.target.matches("select[data-submit-on-change]")) { event.target.form.submit(); }
  });
}());
