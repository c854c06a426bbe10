// See components/pwa.py.
(function () {
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
  var root = document.documentElement;
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
    var push = event.target.closest && event.target.closest("[data-push-action]");
    if (push && !window.hcPush) {
      window.hcPush = push.getAttribute("data-push-action");
      document.head.appendChild(document.createElement("script")).src = "/push.js";
    }
    var button = event.target && event.target.closest && event.target.closest("#install-app");
    if (!button || !offer) return;
    var prompt = offer;
    offer = null;
    ready(false);
    prompt.prompt();
  });
})();
