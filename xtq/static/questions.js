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
  // 相似问题: as the title is typed on /ask, show questions already asked (the form's 先查相似问题 does it without script).
  var similar = document.getElementById("similar");
  var title = document.getElementById("title");
  if (similar && title) {
    var timer = null, last = "";
    var look = function () {
      var department = document.getElementById("department");
      var query = "title=" + encodeURIComponent(title.value.trim()) +
        "&department=" + encodeURIComponent(department ? department.value : "");
      if (query === last) return;
      last = query;
      if (title.value.trim().length < 2) { similar.textContent = ""; return; }
      fetch(similar.dataset.url + "?" + query, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (query === last) similar.innerHTML = html; })  // our own escaped template
        .catch(function () {});
    };
    title.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(look, 400); });
    var dept = document.getElementById("department");
    if (dept) dept.addEventListener("change", look);
  }
  // A second click on a submit button while the first is on its way does nothing.
  document.querySelectorAll("button[data-once]").forEach(function (button) {
    button.form && button.form.addEventListener("submit", function () {
      setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
