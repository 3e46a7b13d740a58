/* The composer's live character count, and showing the service-notice fields only when they apply.
   Loaded as a file (no inline script); without it the form still works and the server counts. */
(function () {
  "use strict";
  var t = window.xtqText;  // xtq/static/i18n.js, loaded first
  function length(text) { return Array.from(text).length; }  // code points, as the server counts

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-max]").forEach(function (area) {
      var max = parseInt(area.getAttribute("data-max"), 10);
      var out = document.getElementById("body-count");
      if (!out) { return; }
      function update() {
        var n = length(area.value.trim());
        out.hidden = false;
        out.textContent = n <= max ? t("已输入 %(count)s 字，还可输入 %(left)s 字", { count: n, left: max - n }) : t("超出 %(count)s 字", { count: n - max });
        out.classList.toggle("over", n > max);
      }
      area.addEventListener("input", update);
      update();
    });

    var kind = document.getElementById("kind");
    var notice = document.querySelector("fieldset[data-kind]");
    if (kind && notice) {
      var toggle = function () { notice.hidden = kind.value !== notice.getAttribute("data-kind"); };
      kind.addEventListener("change", toggle);
      toggle();
    }
    var when = document.querySelectorAll("input[name=when]");
    var at = document.getElementById("publish_at");
    if (when.length && at) {
      var field = at.closest(".field");
      var sync = function () {
        var checked = document.querySelector("input[name=when]:checked");
        field.hidden = !checked || checked.value !== "later";
      };
      when.forEach(function (r) { r.addEventListener("change", sync); });
      sync();
    }
  });
})();
