/* burnrate serve: live reload (never part of the published site) */
(function () {
  var shown = "__GENERATION__";
  function check(generation) {
    if (typeof generation === "string" && generation !== shown) location.reload();
  }
  // The server keeps no more streams than it can: say this page stopped following saves.
  function refused() {
    var note = document.createElement("p");
    note.setAttribute("role", "status");
    note.style.cssText = "position:fixed;z-index:2147483647;left:1rem;right:1rem;top:1rem;" +
      "margin:0;padding:.5rem 1rem;background:#fff;color:#111;border:2px solid #b00020;" +
      "font:15px/1.5 system-ui,sans-serif;overflow-wrap:anywhere";
    note.textContent = __REFUSED__;
    document.body.appendChild(note);
  }
  // Without a shared worker: a stream of this tab's own, held only while the tab is visible, so
  // hidden tabs do not use up the browser's few connections to the server.
  var events = null;
  function follow() {
    if (document.visibilityState === "hidden") {
      if (events) events.close();
      events = null;
    } else if (!events) {
      events = new EventSource("__EVENTS__");
      ["hello", "reload", "problems"].forEach(function (name) {
        events.addEventListener(name, function (e) { check(e.data); });
      });
      events.addEventListener("error", function () {
        if (events && events.readyState === EventSource.CLOSED) refused();
      });
    }
  }
  function alone() {
    document.addEventListener("visibilitychange", follow);
    follow();
  }
  if (!window.SharedWorker) return alone();
  // One stream for every preview tab of this browser, kept by a shared worker.
  var worker = new SharedWorker("__WORKER__");
  worker.port.onmessage = function (m) {
    if (m.data.generation) check(m.data.generation);
    else if (m.data.refused) refused();
    else if (m.data.alone) alone();
  };
  worker.port.start();
  addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
  addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });
})();
