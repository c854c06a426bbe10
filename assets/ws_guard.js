// See components/connection.py.
(function () {
  var send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    var alert = document.getElementById("message-too-big");
    var limit = alert ? Number(alert.getAttribute("data-limit")) : 0;
    var size = typeof data === "string" ? data.length : (data.byteLength || data.size || 0);
    if (alert && limit && size > limit) {
      alert.hidden = false;
      alert.scrollIntoView({ block: "center" });
    }
    return send.call(this, data);
  };
  document.addEventListener("submit", function () {
    var alert = document.getElementById("message-too-big");
    if (alert) alert.hidden = true;
  }, true);
})();
