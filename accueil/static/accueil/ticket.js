// A ticket's own page: every few seconds, fetch the page again and put its new status in place
// (announced politely to screen readers). Without JavaScript, the page offers an automatic refresh.
(function () {
  "use strict";
  var article = document.querySelector("[data-poll-ms]");
  var state = document.getElementById("accueil-ticket-state");
  if (!article || !state || !window.fetch || !window.DOMParser) { return; }
  var every = parseInt(article.getAttribute("data-poll-ms"), 10) || 10000;

  function poll() {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("accueil-ticket-state");
        if (fresh && fresh.innerHTML !== state.innerHTML) { state.innerHTML = fresh.innerHTML; }
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
}());
