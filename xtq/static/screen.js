/* The big screen: polls /screen/data.json, updates figures and lists in place, plays the ceremony.
   Polling (not a held connection), so sync workers are never tied up by a projector. */
(function () {
  "use strict";
  var t = window.xtqText;  // xtq/static/i18n.js, loaded first
  var body = document.body;
  var feedUrl = body.getAttribute("data-feed");
  var pollMs = parseInt(body.getAttribute("data-poll"), 10) || 4000;
  var skew = Date.parse(body.getAttribute("data-now")) - Date.now(); // server (demo) clock minus ours
  var seenOpen = {}, played = {}, bursting = false, first = true;

  function $(sel) { return document.querySelector(sel); }
  function node(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    return el;
  }

  function timeItem(item) {
    var el = node("time", null, item.time);
    el.setAttribute("datetime", item.at);
    return el;
  }

  function postItem(p) {
    var li = node("li", "wall-item");
    var meta = node("p", "meta");
    meta.append(node("b", null, p.department), node("span", "kind", p.kind), timeItem(p));
    li.append(meta, node("p", "text", p.text));
    return li;
  }

  function replyItem(r) {
    var li = node("li", "wall-item pair");
    if (r.thumb) {
      var img = node("img", "thumb");
      img.src = r.thumb;
      img.alt = "";
      li.append(img);
    }
    var q = node("p", "q");
    q.append(node("span", "badge", t("问")), document.createTextNode(r.title));
    var a = node("p", "a");
    var said = node("span");
    said.append(node("b", null, r.department), document.createTextNode("：" + r.reply));
    a.append(node("span", "badge", t("答")), said);
    var meta = node("p", "meta");
    meta.append(timeItem(r));
    if (r.metoo) { meta.append(node("span", "metoo", r.metoo)); }
    li.append(q, a, meta);
    return li;
  }

  function setList(name, items, build) {
    var track = $('[data-list="' + name + '"]');
    if (!track) { return; }
    var ids = items.map(function (i) { return String(i.id); });
    var before = track.getAttribute("data-ids");
    if (before === ids.join(",")) { return; }
    var known = {};
    if (before === null) {
      track.querySelectorAll("li[data-id]").forEach(function (li) { known[li.getAttribute("data-id")] = true; });
    } else {
      before.split(",").forEach(function (id) { known[id] = true; });
    }
    track.textContent = "";
    items.forEach(function (item) {
      var li = build(item);
      li.setAttribute("data-id", item.id);
      if (!known[String(item.id)]) { li.classList.add("is-new"); }
      track.append(li);
    });
    // A second, hidden copy makes the upward scroll loop without a seam.
    items.forEach(function (item) {
      var li = build(item);
      li.classList.add("clone");
      li.setAttribute("aria-hidden", "true");
      track.append(li);
    });
    track.setAttribute("data-ids", ids.join(","));
    track.classList.remove("moving");
    void track.offsetWidth; // restart the scroll from the top, newest first
    track.style.setProperty("--reel-duration", Math.max(items.length, 1) * 9 + "s");
    if (items.length > 2) { track.classList.add("moving"); }
  }

  function setFigures(f) {
    if (!f) { return; }
    ["departments", "posts", "questions"].forEach(function (k) {
      var el = $('[data-figure="' + k + '"]');
      if (el && el.textContent !== String(f[k])) { el.textContent = f[k]; el.classList.remove("bump"); void el.offsetWidth; el.classList.add("bump"); }
    });
    var rate = $('[data-figure="reply_rate"]');
    if (rate) {
      var text = f.reply_rate === null ? "—" : String(f.reply_rate);
      if (rate.firstChild === null || rate.firstChild.textContent !== text) {
        rate.textContent = text;
        if (f.reply_rate !== null) { rate.append(node("small", null, "%")); }
      }
    }
  }

  function showStage(kind, data) {
    var stage = $("[data-stage]");
    var c = data.ceremony;
    $("[data-stage-ceremony]").hidden = kind !== "ceremony";
    $("[data-stage-cover]").hidden = kind !== "cover";
    $("[data-stage-kind]").textContent = c && c.open && c.rehearsal ? t("彩排") : t("上线仪式");
    if (kind === "ceremony") {
      var list = $("[data-seats]");
      list.textContent = "";
      c.seats.forEach(function (s) {
        var li = node("li", s.pressed ? "is-pressed" : "");
        var ring = node("span", "ring");
        ring.setAttribute("aria-hidden", "true");
        li.append(ring, node("b", null, s.label), node("small", null, s.pressed ? t("已启动") : t("等待启动")));
        list.append(li);
      });
    } else {
      $("[data-launch-at]").textContent = data.hall.launch_at_text ? " · " + data.hall.launch_at_text : "";
    }
    stage.classList.remove("is-hidden");
  }

  function hideStage() { $("[data-stage]").classList.add("is-hidden"); }

  function burst(c, data) {
    var layer = $("[data-burst]");
    bursting = true;
    $("[data-burst-title]").textContent = c.rehearsal ? t("彩排完成") : t("正式上线");
    layer.classList.remove("is-hidden", "is-leaving");
    void layer.offsetWidth;
    layer.classList.add("is-playing");
    window.setTimeout(function () { if (c.rehearsal && !data.hall.public) { showStage("cover", data); } else { hideStage(); } }, 1500);
    window.setTimeout(function () { layer.classList.add("is-leaving"); }, 9000);
    window.setTimeout(function () {
      layer.classList.remove("is-playing", "is-leaving");
      layer.classList.add("is-hidden");
      bursting = false;
    }, 10500);
  }

  function ceremony(data) {
    var c = data.ceremony;
    if (c && c.open) { seenOpen[c.id] = true; if (!bursting) { showStage("ceremony", data); } return; }
    if (c && c.completed_at && !played[c.id]) {
      played[c.id] = true;
      var age = (Date.now() + skew - Date.parse(c.completed_at)) / 1000;
      if (seenOpen[c.id] || (first && age < 30)) { burst(c, data); return; }
    }
    if (bursting) { return; }
    if (!data.hall.public) { showStage("cover", data); } else { hideStage(); }
  }

  function apply(data) {
    skew = Date.parse(data.now) - Date.now();
    setFigures(data.figures);
    setList("posts", data.posts, postItem);
    setList("replies", data.replies, replyItem);
    ceremony(data);
    first = false;
  }

  function tick() {
    var clock = $("[data-clock]");
    if (clock) {
      clock.textContent = new Date(Date.now() + skew).toLocaleTimeString("zh-CN",
        { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });
    }
  }

  function poll() {
    fetch(feedUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* the venue's network blinked: try again at the next poll */ })
      .then(function () { window.setTimeout(poll, pollMs); });
  }

  poll();
  tick();
  window.setInterval(tick, 1000);
})();
