// 心通桥: two small helpers for question forms. Everything works without them.
(function () {
  "use strict";
  // 常用答复: choosing a template inserts its text at the cursor instead of reloading the page.
  var picker = document.getElementById("reply-template");
  if (picker) {
    var insert = function () {
      var option = picker.options[picker.selectedIndex];
      var target = document.getElementById(picker.dataset.target);
      if (!option || !option.dataset.body || !target) return false;
      var start = target.selectionStart || 0, end = target.selectionEnd || 0, text = option.dataset.body;
      target.value = target.value.slice(0, start) + text + target.value.slice(end);
      target.focus();
      target.selectionStart = target.selectionEnd = start + text.length;
      picker.selectedIndex = 0;
      return true;
    };
    picker.addEventListener("change", insert);
    var form = document.getElementById("template-form");
    if (form) form.addEventListener("submit", function (event) { if (insert()) event.preventDefault(); });
  }
  // A second click on a submit button while the first is on its way does nothing.
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form && button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
