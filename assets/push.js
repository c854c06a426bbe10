// Web push on this device, loaded by pwa.js on the first tap of a [data-push-action]
// button of /account (pages/account.py push_section; never on page load). "on": asks the
// browser's permission, subscribes with the site's VAPID public key and hands the
// subscription to the server; "off": tells the server, then unsubscribes. The outcome is
// set on <html data-push="on|off|denied|unsupported|error"> and its message, in the
// page's language, comes from the status line's data-texts.
(function () {
  var root = document.documentElement;
  function show(state) {
    root.setAttribute("data-push", state);
    var status = document.querySelector(".push-status[data-texts]");
    if (status) status.textContent = JSON.parse(status.getAttribute("data-texts") || "{}")[state] || "";
  }

  function bytes(base64url) {
    var text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(text, function (c) { return c.charCodeAt(0); });
  }

  async function tell(method, body) {
    var answer = await fetch("/api/push/subscriptions", {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (!answer.ok) throw new Error("server answered " + answer.status);
  }

  function sameKey(subscription, key) {
    var current = subscription.options && subscription.options.applicationServerKey;
    if (!current) return true;
    current = new Uint8Array(current);
    return current.length === key.length && current.every(function (b, i) { return b === key[i]; });
  }

  async function on() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window) ||
        !("Notification" in window)) return show("unsupported");
    if (await Notification.requestPermission() !== "granted") return show("denied");
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    var registration = await navigator.serviceWorker.ready;
    var key = bytes((await (await fetch("/api/push/key")).json()).publicKey);
    var subscription = await registration.pushManager.getSubscription();
    // Made with another key (the site's keys were replaced): it would refuse our messages.
    if (subscription && !sameKey(subscription, key)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription = subscription || await registration.pushManager.subscribe({
      userVisibleOnly: true, applicationServerKey: key,
    });
    await tell("POST", subscription.toJSON());
    show("on");
  }

  async function off() {
    var registration = await navigator.serviceWorker.getRegistration("/");
    var subscription = registration && await registration.pushManager.getSubscription();
    if (subscription) {
      await tell("DELETE", { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show("off");
  }

  function run(action) {
    (action === "off" ? off() : on()).catch(function () { show("error"); });
  }

  var first = window.hcPush;
  window.hcPush = true; // later taps come here, not to pwa.js's loader
  document.addEventListener("click", function (event) {
    var button = event.target && event.target.closest && event.target.closest("[data-push-action]");
    if (button) run(button.getAttribute("data-push-action"));
  });
  if (typeof first === "string") run(first);
})();
