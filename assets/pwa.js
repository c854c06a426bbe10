// Registers the service worker and drives the "Install the app" button.
// The button (components/pwa.py) is hidden by CSS until the browser offers an
// install prompt (Chromium's beforeinstallprompt); elsewhere it never shows.
(function () {
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
      // The first visit loaded its build files before the worker existed: hand it
      // their addresses so it keeps them too (later ones pass through it).
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
    event.preventDefault(); // show our own button instead of the mini-infobar
    offer = event;
    ready(true);
  });
  window.addEventListener("appinstalled", function () { offer = null; ready(false); });
  // Delegated: pages re-render their header; the button is found at click time.
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("#install-app");
    if (!button || !offer) return;
    var prompt = offer;
    offer = null; // a prompt can be shown once
    ready(false);
    prompt.prompt();
  });
})();
