// Small page helpers; every page works without them.
(function () {
  "use strict";
  // The lesson contents sit beside the text on wide screens: show them open there.
  if (window.matchMedia("(min-width: 1100px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }
  // A post form sends once: a second click while the first is on its way does nothing (the
  // server also turns a resent form into the same post).
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form.addEventListener("submit", function (event) {
      if (button.form.dataset.sent) { event.preventDefault(); return; }
      button.form.dataset.sent = "1";
    });
  });
  // A discussion page read: mark its replies read in the background (the button does it without script).
  document.querySelectorAll("form[data-auto-read]").forEach(function (form) {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok) { form.hidden = true; }
    }).catch(function () { /* the button stays */ });
  });
  // Print buttons (certificates, records): the page's print stylesheet does the rest.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
