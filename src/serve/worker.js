/* burnrate serve: one live-reload event stream shared by every preview tab of this browser,
   so any number of tabs use one connection. Each tab says "bye" when it goes. */
var ports = [];
var latest = null;
function tell(message) {
  latest = message;
  ports.forEach(function (port) { port.postMessage(message); });
}
if (typeof EventSource === "undefined") {
  tell({ alone: true });
} else {
  var events = new EventSource("__EVENTS__");
  ["hello", "reload", "problems"].forEach(function (name) {
    events.addEventListener(name, function (e) { tell({ generation: e.data }); });
  });
  events.addEventListener("error", function () {
    if (events.readyState === EventSource.CLOSED) tell({ refused: true });
  });
}
onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data === "bye") ports = ports.filter(function (p) { return p !== port; });
  };
  if (latest !== null) port.postMessage(latest);
};
