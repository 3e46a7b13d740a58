/* The 即将上线 cover's countdown. Without JavaScript the page shows the same figures, fixed. */
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box) { return; }
  var target = Date.parse(box.getAttribute("data-countdown"));
  var skew = Date.parse(box.getAttribute("data-now")) - Date.now(); // the server's (demo) clock
  var parts = {};
  box.querySelectorAll("[data-part]").forEach(function (el) { parts[el.getAttribute("data-part")] = el; });
  var done = box.querySelector(".countdown-done");

  function two(n) { return n < 10 ? "0" + n : String(n); }

  function tick() {
    var left = Math.max(0, Math.floor((target - (Date.now() + skew)) / 1000));
    if (parts.days) {
      parts.days.textContent = Math.floor(left / 86400);
      parts.hours.textContent = two(Math.floor(left % 86400 / 3600));
      parts.minutes.textContent = two(Math.floor(left % 3600 / 60));
      parts.seconds.textContent = two(left % 60);
    }
    if (left === 0) {
      done.hidden = false;
      window.clearInterval(timer);
      window.setTimeout(function () { window.location.reload(); }, 20000); // the ceremony may have launched the hall
    }
  }

  var timer = window.setInterval(tick, 1000);
  tick();
})();
