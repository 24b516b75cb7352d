// The quotation form's "Variant" column: each line shows the selects of the attributes its product offers;
// changing the product or a value clears the line's price, so the price list prices the new variant.
(function () {
  "use strict";
  const table = document.querySelector("[data-lines]");
  if (!table) return;

  function refresh(row) {
    const box = row.querySelector("[data-variant-offers]");
    const product = row.querySelector('select[name$="-product_id"]');
    if (!box || !product) return;
    const offered = JSON.parse(box.dataset.variantOffers)[product.value] || [];
    box.querySelectorAll("select[data-attribute]").forEach((select) => {
      const shown = offered.includes(Number(select.dataset.attribute));
      select.hidden = !shown;
      if (!shown) select.value = "";
    });
  }

  const refreshAll = () => table.querySelectorAll("tr[data-line]").forEach(refresh);
  table.addEventListener("change", (event) => {
    const row = event.target.closest("tr[data-line]");
    if (!row || !(event.target.matches('select[name$="-product_id"]') || event.target.matches("[data-attribute]"))) {
      return;
    }
    refresh(row);
    const price = row.querySelector('input[name$="-unit_price"]');
    if (price) price.value = "";
  });
  document.querySelector("[data-add-line]")?.addEventListener("click", () => setTimeout(refreshAll));
  refreshAll();
})();
