// The timeline's filter form, enhanced: one request per change the reader commits, and
// everything outside the swapped results following the address after every swap, Back and
// Forward (htmx restores this page from the server, never from a stale snapshot).
(function () {
  "use strict";

  // Keys that move a closed <select> (or a date field's parts) from value to value: the
  // reader is passing through choices, not choosing yet.
  var STEPPING_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];
  var PHONE = window.matchMedia("(max-width: 640px)");
  var lastSent = null;
  var stepping = false;
  var filtersOpen = null; // the reader's own choice, kept across Back and Forward

  function filterForm() {
    return document.querySelector("[data-timeline-filters]");
  }

  function formQuery(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function steppable(field) {
    return field.tagName === "SELECT" || field.type === "date";
  }

  // Sends the filters unless exactly these were just sent (Enter in a text box fires both
  // "change" and "submit").
  function commit(form) {
    var query = formQuery(form);
    if (query === lastSent) return;
    lastSent = query;
    form.dispatchEvent(new CustomEvent("filters-change"));
  }

  function onKeydown(event) {
    var form = event.currentTarget;
    if (!steppable(event.target)) return;
    if (event.key === "Enter") {
      stepping = false;
      commit(form);
    } else if (STEPPING_KEYS.indexOf(event.key) >= 0 || (event.key.length === 1 && !event.altKey && !event.ctrlKey && !event.metaKey)) {
      stepping = true;
    }
  }

  function onChange(event) {
    // A value reached by stepping with the keyboard is committed on leaving the field (or
    // Enter); one picked with the pointer or from the open list counts at once.
    if (stepping && steppable(event.target)) return;
    commit(event.currentTarget);
  }

  function onFocusout(event) {
    if (!steppable(event.target)) return;
    stepping = false;
    commit(event.currentTarget);
  }

  function onSubmit(event) {
    if (typeof window.htmx === "undefined") return; // a plain GET then: the page still works
    event.preventDefault();
    stepping = false;
    commit(event.currentTarget);
  }

  function enhanceForm() {
    var form = filterForm();
    if (!form || form.dataset.enhanced) return;
    form.dataset.enhanced = "true";
    lastSent = formQuery(form);
    form.addEventListener("keydown", onKeydown);
    form.addEventListener("pointerdown", function () { stepping = false; });
    form.addEventListener("change", onChange);
    form.addEventListener("focusout", onFocusout);
    form.addEventListener("submit", onSubmit);
    var disclosure = form.querySelector("details.filter-disclosure");
    if (disclosure) {
      // Open on a wide screen; on a phone the nine fields would fill the first screen.
      disclosure.open = filtersOpen === null ? !PHONE.matches : filtersOpen;
      disclosure.addEventListener("toggle", function () { filtersOpen = disclosure.open; });
    }
  }

  // Export links, the language switch and the hreflang alternates carry the filters.
  function followAddress() {
    document.querySelectorAll("[data-follows-query]").forEach(function (element) {
      var url = new URL(element.getAttribute("href"), location.href);
      url.search = location.search;
      element.setAttribute("href", element.tagName === "LINK" ? url.href : url.pathname + url.search);
    });
  }

  function announceCount() {
    var count = document.querySelector("[data-result-count]");
    var problems = document.querySelector("#timeline-results .filter-errors p");
    var status = document.getElementById("live-status");
    if (!status) return;
    status.textContent = problems ? problems.textContent : count ? count.textContent : "";
  }

  function afterNewResults() {
    followAddress();
    announceCount();
  }

  function start() {
    enhanceForm();
    document.body.addEventListener("htmx:afterSettle", function (event) {
      if (event.detail.elt && event.detail.elt.id === "timeline-results") afterNewResults();
    });
    document.body.addEventListener("htmx:historyRestore", function () {
      enhanceForm();
      afterNewResults();
    });
    document.body.addEventListener("htmx:responseError", function () { lastSent = null; });
    document.body.addEventListener("htmx:sendError", function () { lastSent = null; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
