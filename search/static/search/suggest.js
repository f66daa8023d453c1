/* Suggestions while typing, for the search box of /recherche/ (and any input[data-suggest-url]).
   Progressive enhancement: without this script the form works as is. ARIA 1.2 combobox pattern:
   arrows move through the list, Enter opens the chosen page, Escape closes the list. */
(function () {
  "use strict";

  function setup(input) {
    var url = input.getAttribute("data-suggest-url");
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;

    list.id = listId;
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    function announce(count) {
      var text = input.getAttribute(count === 0 ? "data-suggest-none" : count === 1 ? "data-suggest-one" : "data-suggest-many") || "";
      status.textContent = text.replace("%(n)s", String(count));
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(index) {
      if (items[index]) {
        window.location.href = items[index].url;
      }
    }

    function render(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (item, index) {
        var option = document.createElement("li");
        var title = document.createElement("span");
        var type = document.createElement("span");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        title.textContent = item.title;
        type.className = "suggest-type";
        type.textContent = item.type_label || "";
        option.appendChild(title);
        option.appendChild(type);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input
          go(index);
        });
        list.appendChild(option);
      });
      active = -1;
      list.hidden = suggestions.length === 0;
      input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
      announce(suggestions.length);
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < 2) {
        close();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = "AbortController" in window ? new AbortController() : null;
      window.fetch(url + "?q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (data) {
        render(data.suggestions || []);
      }).catch(function () { /* aborted or offline: the form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden || !items.length) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  if (!("fetch" in window)) {
    return;
  }
  var inputs = document.querySelectorAll("input[data-suggest-url]");
  for (var i = 0; i < inputs.length; i++) {
    setup(inputs[i]);
  }
})();
