/* Pages that edit many rows at once: the Annex 1 table (add a row, move rows, number them) and the 民主评议 form
   (fill every row still empty with the default conclusion, count the rows done). Works without it: the order
   numbers and the server-side fill do the same. */
(function () {
  function renumber(body) {
    let n = 0;
    body.querySelectorAll("[data-grid-row]").forEach(function (row) {
      const order = row.querySelector('[data-field="order"]');
      if (order) { n += 1; order.value = n; }
    });
  }
  document.addEventListener("click", function (event) {
    const add = event.target.closest("[data-grid-add]");
    if (add) {
      const form = add.closest("form");
      const body = form.querySelector("[data-grid-body]");
      const total = form.querySelector('input[name$="-TOTAL_FORMS"]');
      const html = form.querySelector("template[data-grid-empty]").innerHTML.replace(/__prefix__/g, total.value);
      total.value = String(Number(total.value) + 1);
      body.insertAdjacentHTML("beforeend", html);
      renumber(body);
      const first = body.lastElementChild.querySelector('[data-field="category"]');
      if (first) { first.focus(); }
      return;
    }
    const move = event.target.closest("[data-grid-move]");
    if (move) {
      const row = move.closest("[data-grid-row]");
      const body = row.parentElement;
      if (move.dataset.gridMove === "up" && row.previousElementSibling) {
        body.insertBefore(row, row.previousElementSibling);
      } else if (move.dataset.gridMove === "down" && row.nextElementSibling) {
        body.insertBefore(row.nextElementSibling, row);
      }
      renumber(body);
      move.focus();
      return;
    }
    const fill = event.target.closest("[data-fill-all]");
    if (fill) {
      event.preventDefault();
      const form = fill.closest("form");
      form.querySelectorAll("select[data-fill-target]").forEach(function (select) {
        if (!select.value && !select.disabled) { select.value = fill.dataset.fillAll; }
      });
      count(form);
    }
  });
  function count(form) {
    const out = form.querySelector("[data-done-count]");
    if (!out) { return; }
    const selects = form.querySelectorAll("select[data-fill-target]");
    let done = Number(out.dataset.doneElsewhere || 0);
    selects.forEach(function (s) { if (s.value) { done += 1; } });
    out.querySelector("[data-done]").textContent = String(done);
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-fill-target]")) { count(event.target.closest("form")); }
  });
})();
