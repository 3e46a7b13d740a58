/* Our scripts' texts in the reader's language: window.xtqText(text, values).
   The page carries them in a hidden [data-i18n-text] element (xtq/templates/_partials/js_text.html),
   keyed by the Chinese source text; %(name)s placeholders are filled from `values`. */
(function () {
  "use strict";
  var table = null;
  window.xtqText = function (text, values) {
    if (table === null) {  // read on first use: the element comes later in the page than this script
      var holder = document.querySelector("[data-i18n-text]");
      table = JSON.parse((holder && holder.getAttribute("data-i18n-text")) || "{}");
    }
    return (table[text] || text).replace(/%\((\w+)\)s/g, function (m, name) { return values[name]; });
  };
})();
