/* A guest's phone after pressing: shows how many seats have pressed, then that the hall is live. */
(function () {
  "use strict";
  var t = window.xtqText;  // xtq/static/i18n.js, loaded first
  var seat = document.querySelector(".seat");
  var progress = document.querySelector("[data-progress]");
  if (!seat) { return; }
  var url = seat.getAttribute("data-state-url");
  var mine = parseInt(seat.getAttribute("data-ceremony"), 10);
  var waitingToPress = !progress;

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var c = data && data.ceremony;
        if (!c || c.id !== mine) { return true; }
        if (waitingToPress) {
          if (!c.open) { window.location.reload(); return false; }
          return true;
        }
        if (c.completed_at) {
          progress.textContent = c.rehearsal ? t("彩排完成！感谢各位嘉宾。") : t("发布厅已正式上线！");
          seat.classList.add("is-done");
          return false;
        }
        progress.textContent = t("已启动 %(pressed)s / %(total)s，等待其他嘉宾……", { pressed: c.pressed, total: c.total });
        return true;
      })
      .catch(function () { return true; })
      .then(function (again) { if (again) { window.setTimeout(poll, 2000); } });
  }

  window.setTimeout(poll, 1500);
})();
