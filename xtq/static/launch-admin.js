/* The admin's ceremony page: reload when a guest presses, so the seat cards show who has. */
(function () {
  "use strict";
  var box = document.querySelector("[data-ceremony-progress]");
  if (!box) { return; }
  var seen = box.getAttribute("data-ceremony-progress");
  var url = box.getAttribute("data-state-url");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        var c = data && data.ceremony;
        var now = c ? c.id + ":" + c.pressed + ":" + (c.open ? 1 : 0) : "none";
        if (now !== seen) { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }

  window.setTimeout(poll, 2000);
})();
