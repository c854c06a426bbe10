// See components/pwa.py.
(function () {
  var root = document.documentElement;
  root.lang = (/(?:^|; *)hc_locale=(fr|en)(?:;|$)/.exec(document.cookie)
    || /(?:^|,)(fr|en)\b/.exec((navigator.languages || []).join(",")) || [0, "fr"])[1];
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
      navigator.serviceWorker.ready.then(function (registration) {
        var files = performance.getEntriesByType("resource").map(function (entry) {
          return entry.name;
        }).filter(function (url) { return url.indexOf(location.origin + "/assets/") === 0; });
        if (registration.active) registration.active.postMessage({ cacheAssets: files });
      });
    });
  }
  var offer = null;
  function ready(on) {
    if (on) root.setAttribute("data-install", "ready");
    else root.removeAttribute("data-install");
  }
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    offer = event;
    ready(true);
  });
  window.addEventListener("appinstalled", function () { offer = null; ready(false); });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) return;
    var push = target.closest("[data-push-action]");
    if (push && !window.hcPush) {
      window.hcPush = push.getAttribute("data-push-action");
      document.head.appendChild(document.createElement("script")).src = "/push.js";
    }
    var opener = target.closest("[data-dialog]");
    var dialog = opener && document.getElementById(opener.getAttribute("data-dialog"));
    if (dialog && !dialog.open) {
      dialog.opener = opener;
      dialog.showModal();
      if (!window.hcDialog) document.head.appendChild(document.createElement("script")).src = window.hcDialog = "/dialog.js";
    }
    if (!target.closest("#install-app") || !offer) return;
    var prompt = offer;
    offer = null;
    ready(false);
    prompt.prompt();
  });
})();

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
