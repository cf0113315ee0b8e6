// Small page helpers; every page works without them.
(function () {
  "use strict";
  // The lesson contents sit beside the text on wide screens: show them open there.
  if (window.matchMedia("(min-width: 1100px)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }
  // Print buttons (certificates, records): the page's print stylesheet does the rest.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
