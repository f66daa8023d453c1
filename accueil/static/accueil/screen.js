// The hall screen: poll the cached JSON of the hall about every second and redraw the lists.
// Without JavaScript the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var root = document.querySelector("[data-poll-url]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-poll-url");
  var every = parseInt(root.getAttribute("data-poll-ms"), 10) || 1000;
  var texts = document.getElementById("accueil-texts").dataset;
  var called = document.getElementById("accueil-called");
  var services = document.getElementById("accueil-services");
  var last = "";

  function item(className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  }

  function draw(data) {
    var key = JSON.stringify(data.called) + JSON.stringify(data.services);
    if (key === last) { return; }
    last = key;
    var list = document.createDocumentFragment();
    data.called.forEach(function (c) {
      var li = document.createElement("li");
      li.appendChild(item("accueil-number", c.number));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(item("accueil-counter", texts.counter + " " + c.counter));
      list.appendChild(li);
    });
    if (!data.called.length) {
      var none = document.createElement("li");
      none.className = "accueil-none";
      none.textContent = texts.none;
      list.appendChild(none);
    }
    called.replaceChildren(list);
    var rows = document.createDocumentFragment();
    data.services.forEach(function (s) {
      var li = document.createElement("li");
      li.appendChild(item("", s.name));
      li.appendChild(document.createTextNode(" "));
      var value = !s.open ? texts.closed : (s.estimated_wait_minutes === null ? "—" : s.estimated_wait_minutes + " " + texts.minutes);
      var strong = document.createElement("strong");
      strong.textContent = value;
      li.appendChild(strong);
      rows.appendChild(li);
    });
    services.replaceChildren(rows);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
}());
