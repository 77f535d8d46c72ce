// The staff web's only script: pages work without it. A page whose <body> has data-refresh="N"
// reloads itself every N seconds — but not while the tab is hidden, nor while someone is typing in
// or has focus on a form field (a half-filled filter or note is never thrown away).
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (!seconds) { return; }
  function busy() {
    var el = document.activeElement;
    return el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
  }
  function tick() {
    if (document.visibilityState === "visible" && !busy()) {
      window.location.reload();
    } else {
      window.setTimeout(tick, 5000);
    }
  }
  window.setTimeout(tick, seconds * 1000);
}());
