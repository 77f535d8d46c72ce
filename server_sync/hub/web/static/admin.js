// The staff web's only script: pages work without it.
//
// A form with data-draft keeps what is typed in its text areas in the tab's sessionStorage until it
// is saved: a session that ended meanwhile sends the clerk to the login page and back, and the notes
// come back into the form instead of being lost. The page after a successful save says so with
// data-draft-saved (on the form, or where the form was once the item is closed), and the draft is
// dropped; closing the tab drops it too.
(function () {
  "use strict";
  var form = document.querySelector("[data-draft]");  // the form, or the note that the item is closed
  if (!form || !window.sessionStorage) { return; }
  var key = "draft:" + form.getAttribute("data-draft");
  var fields = form.querySelectorAll("textarea[name]");
  if (form.hasAttribute("data-draft-saved")) {
    window.sessionStorage.removeItem(key);
    return;
  }
  var kept = {};
  try { kept = JSON.parse(window.sessionStorage.getItem(key) || "{}"); } catch (e) { kept = {}; }
  Array.prototype.forEach.call(fields, function (field) {
    if (!field.value && kept[field.name]) { field.value = kept[field.name]; }
    field.addEventListener("input", function () {
      var now = {};
      Array.prototype.forEach.call(fields, function (f) { if (f.value) { now[f.name] = f.value; } });
      window.sessionStorage.setItem(key, JSON.stringify(now));
    });
  });
}());

// A wide table scrolls sideways in its own box (narrow screens; the fleet's many columns): such a
// box, and only such a box, is made a tab stop so that keyboard users can scroll it too.
(function () {
  "use strict";
  function mark() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  window.addEventListener("resize", mark);
}());

// A page whose <body> has data-refresh="N" reloads itself every N seconds — but not while the tab
// is hidden, nor while someone is typing in or has focus on a form field (a half-filled filter or
// note is never thrown away).
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
