// The story page: count the ticked candidates beside the bulk answers, so an editor
// sees how many an answer will take. The form works the same without it.
(function () {
  "use strict";
  function update() {
    var out = document.querySelector("[data-bulk-count]");
    if (!out) return;
    var n = document.querySelectorAll("input[data-bulk-pick]:checked").length;
    // The words come from the page, in its language: "{n} ticked." and the hint.
    var some = out.getAttribute("data-some") || "{n} ticked.";
    var none = out.getAttribute("data-none") || "Tick candidates to answer several at once.";
    out.textContent = n ? some.replace("{n}", String(n)) : none;
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.matches && event.target.matches("input[data-bulk-pick]")) update();
  });
  // A card answered on its own leaves the page's list: count again.
  document.addEventListener("htmx:afterSettle", update);
  document.addEventListener("DOMContentLoaded", update);
})();
