/* The triage desk's keyboard (templates/inbox/index.html, loaded there only).

   j / k move to the next / previous row; a accepts, d dismisses, r opens the row's reassignment
   form (at the agency, then the reason), q marks or unmarks a public question, o opens the item,
   ? shows or hides the help; c is kept for «open a case». Each key acts on the element of the
   current row that declares it (data-key="…"): a row without one ignores the key, so a later
   feature adds a key by adding an element. Keys are read by their place on the keyboard
   (event.code), so they work in the Persian layout too (ت ن ش ی ق ض خ).

   Every action is a plain form that works without this file; the server answers with the queue
   at the row that followed the handled one (#route-N), which becomes the current row here. The
   CSP (script-src 'self') allows no inline script. */
(function () {
  "use strict";

  var list = document.querySelector("[data-triage-list]");
  if (!list) {
    return;
  }
  var rows = Array.prototype.slice.call(list.querySelectorAll("[data-triage-row]"));
  var help = document.getElementById("triage-help");
  var KEYS = { KeyJ: "j", KeyK: "k", KeyA: "a", KeyD: "d", KeyR: "r", KeyQ: "q", KeyO: "o", KeyC: "c" };
  var current = -1;
  var busy = false;

  function select(index, focus) {
    if (!rows.length) {
      return;
    }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (rows[current]) {
      rows[current].classList.remove("is-current");
      rows[current].removeAttribute("aria-current");
    }
    current = index;
    var row = rows[current];
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    if (focus) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // The current row's element for `key`: a <details> opens at its first field, anything else is
  // clicked (a submit button submits its form with its own name and value; a link is followed).
  function act(key) {
    var row = rows[current];
    var target = row && row.querySelector('[data-key="' + key + '"]');
    if (!target) {
      return false;
    }
    if (target.tagName === "DETAILS") {
      target.open = true;
      var field = target.querySelector("select, input:not([type=hidden]), textarea");
      if (field) {
        field.focus();
      }
      return true;
    }
    if (target.type === "submit") {
      if (busy) {
        return true;
      }
      busy = true;
    }
    target.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) {
      return;
    }
    if (typing(event.target)) {
      // Escape leaves a row's form and gives the keys back to the queue.
      var details = event.key === "Escape" && event.target.closest("details[data-key]");
      if (details) {
        details.open = false;
        select(rows.indexOf(details.closest("[data-triage-row]")), true);
        event.preventDefault();
      }
      return;
    }
    if (event.key === "?" || event.key === "؟" || (event.code === "Slash" && event.shiftKey)) {
      if (help) {
        help.open = !help.open;
      }
      event.preventDefault();
      return;
    }
    var key = !event.shiftKey && KEYS[event.code];
    if (!key) {
      return;
    }
    if (key === "j") {
      select(current + 1, true);
    } else if (key === "k") {
      select(current - 1, true);
    } else if (!act(key)) {
      return;
    }
    event.preventDefault();
  });

  // A click in a row (a mouse user) makes it the current one.
  list.addEventListener("click", function (event) {
    var row = event.target.closest("[data-triage-row]");
    if (row) {
      select(rows.indexOf(row), false);
    }
  });

  // The row named by the address (#route-N: where the server sent us back after an action, or
  // a «next item» link), else the first one.
  function rowOfHash() {
    var row = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    return row ? rows.indexOf(row) : -1;
  }

  window.addEventListener("hashchange", function () {
    var index = rowOfHash();
    if (index >= 0) {
      select(index, true);
    }
  });

  var index = rowOfHash();
  select(index >= 0 ? index : 0, index >= 0);
})();
