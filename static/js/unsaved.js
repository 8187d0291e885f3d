// Unsaved edits are not lost by leaving the page. A form marked data-warn-unsaved becomes dirty when the user types
// or changes a field in it (or at once, with data-warn-unsaved="dirty": a form sent back with errors holds text that
// is not saved yet). While a dirty form is on the page, leaving it — a link, reload, closing the tab, or submitting
// another form, which would not carry this form's text — asks first (beforeunload). Submitting the dirty form itself,
// with any of its buttons (保存, 提交审核, 报送), carries the text and does not ask.
(function () {
  "use strict";
  const dirty = new Set();
  let submitting = null;

  function watched(target) {
    const form = target && (target.form || (target.closest && target.closest("form")));
    return form && form.hasAttribute("data-warn-unsaved") ? form : null;
  }

  function mark(event) {
    const form = watched(event.target);
    if (form) { dirty.add(form); }
  }

  document.querySelectorAll("form[data-warn-unsaved='dirty']").forEach(function (form) { dirty.add(form); });
  document.addEventListener("input", mark, true);
  document.addEventListener("change", mark, true);

  // bubbling phase: a confirm dialog cancelled (data-confirm) or a script that takes the submit over leaves
  // defaultPrevented set, and then the page stays and the form stays dirty
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { submitting = event.target; }
  });

  window.addEventListener("beforeunload", function (event) {
    const unsaved = Array.from(dirty).filter(function (form) {
      return form !== submitting && document.contains(form);
    });
    if (unsaved.length) {
      event.preventDefault();
      event.returnValue = "";  // older Chromium shows the dialog only when returnValue is set
      return "";
    }
    return undefined;
  });

  // back from the browser's page cache: the submit that left this page is over
  window.addEventListener("pageshow", function () { submitting = null; });
})();
