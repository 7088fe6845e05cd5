// htmx leaves 4xx answers out of the page. A form marked data-swap-errors="400 409"
// swaps those answers in too, since they carry the block with its messages (the
// claim form's reading and source picker). In a file, not an hx-on attribute: the
// site's Content-Security-Policy runs no inline code, and htmx's eval is off.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.target && event.target.closest && event.target.closest("[data-swap-errors]");
    if (!source) return;
    var statuses = source.getAttribute("data-swap-errors").split(/\s+/);
    if (statuses.indexOf(String(event.detail.xhr.status)) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
