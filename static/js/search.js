/* The header search box as an ARIA combobox with a listbox popup (WAI-ARIA APG pattern).
 *
 * htmx fetches the suggestions into the listbox (templates/base.html, data-hx-* on the box;
 * the options come from the "suggestions" partial of templates/deals/search.html). This
 * script only manages the popup: focus stays in the box while ArrowDown/ArrowUp move the
 * active option (aria-activedescendant), Enter opens it (or, with none active, submits the
 * search), Escape closes the list and a second Escape clears the box, and the list closes
 * when focus or a click goes elsewhere. A static file, so the Content Security Policy needs
 * no exception for it.
 */
(function () {
  "use strict";

  var input = document.getElementById("site-search-q");
  var listbox = document.getElementById("site-search-listbox");
  var status = document.getElementById("site-search-status");
  if (!input || !listbox) {
    return;
  }
  var form = input.form;
  var active = -1;
  // The text the list was closed for with Escape: a late answer for it must not reopen it.
  var dismissedFor = null;

  function options() {
    return Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]'));
  }

  function isOpen() {
    return !listbox.hidden;
  }

  function setActive(index) {
    var all = options();
    active = index;
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index < 0 || index >= all.length) {
      active = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    input.setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  }

  function open() {
    if (!options().length) {
      close();
      return;
    }
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    setActive(-1);
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function announce() {
    var said = listbox.querySelector("[data-announce]");
    if (status) {
      status.textContent = said ? said.getAttribute("data-announce") : "";
    }
  }

  function move(step) {
    var count = options().length;
    if (!count) {
      return;
    }
    if (!isOpen()) {
      open();
      setActive(step > 0 ? 0 : count - 1);
      return;
    }
    var next = active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count;
    setActive(next);
  }

  function choose() {
    var option = options()[active];
    if (!option || option.getAttribute("aria-disabled") === "true" || !option.href) {
      return false;
    }
    close();
    option.click();
    return true;
  }

  input.addEventListener("keydown", function (event) {
    if (event.isComposing) {
      return; // an input method is composing a letter: its keys are not ours
    }
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        move(1);
        break;
      case "ArrowUp":
        if (isOpen()) {
          event.preventDefault();
          move(-1);
        }
        break;
      case "Enter":
        if (isOpen() && active >= 0 && choose()) {
          event.preventDefault();
        }
        break;
      case "Escape":
        // The first Escape closes the list and keeps the text; the second clears the box.
        event.preventDefault();
        if (isOpen()) {
          dismissedFor = input.value;
          close();
        } else if (input.value) {
          input.value = "";
          dismissedFor = null;
          listbox.textContent = "";
          announce();
        }
        break;
      case "Tab":
        close();
        break;
    }
  });

  input.addEventListener("input", function () {
    dismissedFor = null;
    setActive(-1);
    if (!input.value.trim()) {
      close();
    }
  });

  // A click (or tap) on the box reopens the list it had.
  input.addEventListener("click", function () {
    if (!isOpen() && input.value.trim() && dismissedFor !== input.value) {
      open();
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== listbox) {
      return;
    }
    active = -1;
    input.removeAttribute("aria-activedescendant");
    var wanted =
      document.activeElement === input && input.value.trim() && dismissedFor !== input.value;
    if (wanted) {
      open();
      announce();
    } else {
      close();
    }
  });

  // Focus leaving the form closes the list; moving into it (a pressed option) does not.
  form.addEventListener("focusout", function (event) {
    if (!event.relatedTarget || !form.contains(event.relatedTarget)) {
      close();
    }
  });

  document.addEventListener("pointerdown", function (event) {
    if (isOpen() && !form.contains(event.target)) {
      close();
    }
  });

  // Pressing an option keeps focus in the box (the click still opens it).
  listbox.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });

  // The pointer shows which option Enter would open.
  listbox.addEventListener("pointermove", function (event) {
    var option = event.target.closest('[role="option"]');
    var index = options().indexOf(option);
    if (index >= 0 && index !== active) {
      setActive(index);
    }
  });

  // Back to a page kept in the browser's cache: its list must not still be open.
  window.addEventListener("pageshow", close);
})();
