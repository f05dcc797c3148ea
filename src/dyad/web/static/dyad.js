// dyad's pages work without this file; it adds a type-ahead for countries, a date control that
// updates the state of relations in place, and highlighting of a fact's evidence on source pages.
(function () {
  "use strict";

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  // -- type-ahead: names, codes and adjectives, from /api/countries --

  var comboCount = 0;

  function typeahead(input) {
    var id = "combo-" + (++comboCount);
    var list = document.createElement("ul");
    list.id = id;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.appendChild(list);
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    var items = [], active = -1, asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(i) {
      var options = list.children;
      for (var k = 0; k < options.length; k++) {
        options[k].setAttribute("aria-selected", k === i ? "true" : "false");
      }
      active = i;
      if (i >= 0) {
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(i) {
      if (i < 0 || i >= items.length) return;
      input.value = items[i].name;
      close();
    }

    function show(found) {
      items = found;
      list.textContent = "";
      found.forEach(function (c, i) {
        var li = document.createElement("li");
        li.id = id + "-" + i;
        li.setAttribute("role", "option");
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = c.name;
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = c.code + (c.adjective ? " · " + c.adjective : "");
        li.appendChild(name);
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = found.length === 0;
      input.setAttribute("aria-expanded", found.length ? "true" : "false");
      mark(found.length ? 0 : -1);
    }

    var ask = debounce(function () {
      var q = input.value.trim();
      if (!q) { close(); return; }
      var n = ++asked;
      fetch("/api/countries?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (n === asked && document.activeElement === input) show(data.items); })
        .catch(function () { close(); });
    }, 120);

    input.addEventListener("input", ask);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { close(); }
    });
  }

  // -- the pair page's date control --

  function dateControl(form) {
    var target = document.getElementById("state");
    var slider = form.querySelector("[data-year-slider]");
    var text = form.querySelector("input[name=at]");
    var stateUrl = form.getAttribute("data-state-url");
    if (!target || !stateUrl) return;
    var asked = 0;

    function load(at) {
      var n = ++asked;
      form.classList.add("loading");
      fetch(stateUrl + "?at=" + encodeURIComponent(at), { headers: { Accept: "text/html" } })
        .then(function (r) { return r.text().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (res) {
          if (n !== asked) return;
          form.classList.remove("loading");
          if (!res.ok) {
            var doc = new DOMParser().parseFromString(res.body, "text/html");
            var message = doc.querySelector(".error");
            form.setAttribute("data-error", message ? message.textContent : "cannot show that date");
            return;
          }
          form.removeAttribute("data-error");
          target.innerHTML = res.body;  // our own server's fragment, escaped there
          var url = new URL(window.location.href);
          url.searchParams.set("at", at);
          window.history.replaceState(null, "", url);
          document.dispatchEvent(new CustomEvent("dyad:at", { detail: { at: at } }));
        })
        .catch(function () { form.classList.remove("loading"); });
    }

    var loadSoon = debounce(load, 150);
    if (slider) {
      slider.addEventListener("input", function () {
        text.value = slider.value;
        loadSoon(slider.value);
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var at = text.value.trim();
      if (!at) return;
      var year = parseInt(at.slice(0, 4), 10);
      if (slider && !isNaN(year)) slider.value = year;
      load(at);
    });
  }

  // -- source pages: choosing a fact highlights its evidence --

  function evidence() {
    var article = document.querySelector(".source-text");
    if (!article) return;

    function activate(factId) {
      article.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
      document.querySelectorAll(".fact-index a.active").forEach(function (a) { a.classList.remove("active"); });
      if (!factId) return;
      var marks = article.querySelectorAll("mark.ev");
      marks.forEach(function (m) {
        if ((" " + m.getAttribute("data-facts") + " ").indexOf(" " + factId + " ") >= 0) m.classList.add("active");
      });
      var link = document.querySelector('.fact-index a[data-fact="' + factId + '"]');
      if (link) link.classList.add("active");
    }

    function fromHash() {
      var m = /^#(?:ev-(\d+)-\d+|fact-(\d+))$/.exec(window.location.hash);
      if (!m) return;
      var id = m[1] || m[2];
      activate("f" + id);
      var anchor = document.getElementById("ev-" + id + "-0");
      if (anchor && m[2]) anchor.scrollIntoView({ block: "center" });
    }

    document.querySelectorAll(".fact-index a[data-fact]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        var anchor = document.getElementById(a.getAttribute("href").slice(1));
        if (!anchor) return;
        e.preventDefault();
        activate(a.getAttribute("data-fact"));
        anchor.scrollIntoView({ behavior: "smooth", block: "center" });
        window.history.replaceState(null, "", a.getAttribute("href"));
      });
    });
    article.addEventListener("click", function (e) {
      var mark = e.target.closest("mark.ev");
      if (!mark) return;
      var first = mark.getAttribute("data-facts").split(" ")[0];
      activate(first);
      var item = document.getElementById("fact-" + first.slice(1));
      if (item) item.scrollIntoView({ behavior: "smooth", block: "nearest" });
    });
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }

  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-typeahead]").forEach(typeahead);
    document.querySelectorAll("form.when-form[data-state-url]").forEach(dateControl);
    evidence();
  });
})();
