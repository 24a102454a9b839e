// The event's time in the reader's own time zone, when that differs from the event's.
(function () {
  "use strict";
  function show(element) {
    var zone = element.getAttribute("data-zone");
    var mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || !mine || zone === mine) {
      return;
    }
    var starts = new Date(element.getAttribute("data-starts"));
    var ends = new Date(element.getAttribute("data-ends"));
    if (isNaN(starts.getTime()) || isNaN(ends.getTime())) {
      return;
    }
    var options = {
      weekday: "long", year: "numeric", month: "long", day: "numeric",
      hour: "numeric", minute: "2-digit", timeZoneName: "short",
    };
    var format = new Intl.DateTimeFormat(undefined, options);
    element.textContent = "In your time zone (" + mine + "): " + format.format(starts) +
      " – " + format.format(ends);
    element.hidden = false;
  }
  function start() {
    document.querySelectorAll("[data-local-time]").forEach(show);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
