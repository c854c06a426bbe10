// See components/ui.py (dialog).
(function () {
  document.addEventListener("click", function (event) {
    var closer = event.target.closest && event.target.closest("[data-dialog-close]");
    if (closer && closer.closest("dialog")) closer.closest("dialog").close();
  });
  document.addEventListener("close", function (event) {
    var opener = event.target.opener;
    event.target.opener = null;
    if (opener && opener.isConnected) opener.focus();
  }, true);
  document.addEventListener("keydown", function (event) {
    var dialog = event.key === "Tab" && document.querySelector("dialog[open]");
    var stops = dialog ? Array.prototype.filter.call(dialog.querySelectorAll(
      "a[href], button, input, select, textarea, summary, [tabindex]"), function (e) {
      return !e.disabled && e.tabIndex >= 0 && e.getClientRects().length;
    }) : [];
    var first = stops[0], last = stops[stops.length - 1], at = document.activeElement;
    if (first && (at === (event.shiftKey ? first : last) || !dialog.contains(at))) {
      event.preventDefault();
      (event.shiftKey ? last : first).focus();
    }
  });
})();
