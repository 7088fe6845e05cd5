// The claim form: say under the claim's box when the words run over the limit. The
// box has no maxlength, because a browser would cut a long paste mid-word without a
// word; saving still refuses text over the limit, with the same figure.
(function () {
  "use strict";
  function check(box) {
    var out = document.getElementById("text-length");
    var limit = parseInt(box.getAttribute("data-max-chars"), 10);
    if (!out || !limit) return;
    var length = box.value.trim().length;
    if (length > limit) {
      // The sentence comes from the page, in its language, with {length} and {limit} in it.
      // Latin digits, as the server writes them in both languages.
      var lang = (document.documentElement.lang || "en") + "-u-nu-latn";
      var words = box.getAttribute("data-too-long") ||
        "The claim is {length} characters long; the limit is {limit}. Shorten it to the sentence that makes the claim.";
      out.textContent = words
        .replace("{length}", length.toLocaleString(lang))
        .replace("{limit}", limit.toLocaleString(lang));
      out.hidden = false;
      box.setAttribute("aria-invalid", "true");
    } else {
      out.textContent = "";
      out.hidden = true;
      if (!document.getElementById("id_text-error")) box.removeAttribute("aria-invalid");
    }
  }
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box && box.matches && box.matches("textarea[data-max-chars]")) check(box);
  });
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("textarea[data-max-chars]");
    if (box) check(box);
  });
})();
