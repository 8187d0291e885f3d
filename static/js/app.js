// Site-wide behaviour. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
// A filter select reloads the page when a choice is made with the mouse or touch. With the keyboard, the arrow keys
// step through the options without leaving the page (WCAG 3.2.2); Enter, or leaving the select, applies the choice.
document.addEventListener("keydown", function (event) {
  const el = event.target.closest && event.target.closest("[data-autosubmit]");
  if (!el || !el.form) { return; }
  if (event.key === "Enter") {
    event.preventDefault();
    el.form.requestSubmit();
  } else if (event.key !== "Tab") {
    el.dataset.keyed = "1";
  }
});
document.addEventListener("change", function (event) {
  const el = event.target.closest("[data-autosubmit]");
  if (!el || !el.form) { return; }
  if (el.dataset.keyed) { el.dataset.changed = "1"; } else { el.form.requestSubmit(); }
});
document.addEventListener("pointerdown", function (event) {
  const el = event.target.closest && event.target.closest("[data-autosubmit]");
  if (el) { delete el.dataset.keyed; }
});
document.addEventListener("focusout", function (event) {
  const el = event.target.closest && event.target.closest("[data-autosubmit]");
  if (!el) { return; }
  const changed = el.dataset.changed;
  delete el.dataset.keyed;
  delete el.dataset.changed;
  if (changed && el.form) { el.form.requestSubmit(); }
});
// Tables marked .table-cards become one card a row on a phone (app.css): each cell carries its column's heading.
function labelTableCards() {
  document.querySelectorAll("table.table-cards").forEach(function (table) {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    const labels = [];
    for (const th of head.cells) {
      for (let i = 0; i < th.colSpan; i++) { labels.push(th.textContent.trim()); }
    }
    for (const body of table.tBodies) {
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && cell.colSpan === 1 && labels[column]) {
            cell.dataset.label = labels[column];
          }
          column += cell.colSpan;
        }
      }
    }
  });
}
labelTableCards();
document.addEventListener("htmx:afterSettle", labelTableCards);
// A box that scrolls sideways (a wide table) can be reached and scrolled with the keyboard: it takes focus and is
// named after its table's caption or the heading before it (WCAG 2.1.1).
function focusableScrollers() {
  document.querySelectorAll(".table-responsive, [data-wide], .grid-wrap").forEach(function (box) {
    if (box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex")) { return; }
    const caption = box.querySelector("caption");
    let heading = box.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    if (!box.hasAttribute("aria-label")) {
      box.setAttribute("aria-label", ((caption || heading) ? (caption || heading).textContent.trim() + "：" : "") + "可左右滚动的表格");
    }
  });
}
focusableScrollers();
document.addEventListener("htmx:afterSettle", focusableScrollers);
window.addEventListener("resize", focusableScrollers);
