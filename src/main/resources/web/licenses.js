// Licenses pages: "Copy license" buttons and confirmation dialogs (decision 034). No inline script (CSP).
// Without JavaScript the action links open the same confirmation as a page.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function announce(text) {
    if (status) { status.textContent = ""; status.textContent = text; }
  }

  document.addEventListener("click", function (e) {
    var copy = e.target.closest("[data-copy]");
    if (copy) {
      var key = copy.getAttribute("data-copy");
      var done = function () {
        copy.textContent = "Copied";
        copy.setAttribute("data-copied", key);
        announce("License key copied to the clipboard");
        setTimeout(function () { copy.textContent = "Copy license"; }, 2500);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(key).then(done, function () { announce("Copying failed: select the key and copy it"); });
      }
      return;
    }
    var link = e.target.closest("a[data-confirm]");
    var dialog = document.getElementById("confirm-dialog");
    if (link && dialog && typeof dialog.showModal === "function") {
      e.preventDefault();
      openDialog(dialog, link);
      return;
    }
    var close = e.target.closest("dialog [data-close]");
    if (close) {
      e.preventDefault();
      close.closest("dialog").close();
    }
  });

  function openDialog(dialog, link) {
    fetch(link.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var section = doc.querySelector("section.confirm");
        if (!section) { window.location.href = link.href; return; }
        var body = dialog.querySelector(".dialog-body");
        body.replaceChildren(document.importNode(section, true));
        dialog.showModal();
        var first = body.querySelector("input:not([type=hidden])") || body.querySelector("button[type=submit]");
        if (first) first.focus();
        dialog.addEventListener("close", function () { link.focus(); }, { once: true });
      })
      .catch(function () { window.location.href = link.href; });
  }

  // A second click on a confirmation's button sends nothing more (the server also answers a repeat with one effect).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
  });
})();
