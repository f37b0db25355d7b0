/* Hamzaban's script for every page (with forms.js). The CSP (script-src 'self') forbids inline scripts and inline event
   handlers, so pages declare behaviour with attributes and this file wires it up.
   Load it after htmx.min.js and jalalidatepicker.min.js. */
(function () {
  "use strict";

  // htmx settings: these run before htmx initialises the page on DOMContentLoaded.
  if (window.htmx) {
    // htmx would inject a <style> element for .htmx-indicator; the CSP blocks it. The same rules
    // are in app.css.
    window.htmx.config.includeIndicatorStyles = false;
    // hx-on and "js:" values need eval, which the CSP forbids: fail with htmx:evalDisallowedError.
    window.htmx.config.allowEval = false;
    // Swapped-in responses never carry scripts: all behaviour lives in this file.
    window.htmx.config.allowScriptTags = false;
    // Back-button restores ask for the full page, not a fragment (views answer HX-Request with
    // fragments).
    window.htmx.config.historyRestoreAsHxRequest = false;
  }

  // Every htmx request carries the CSRF token that Flask-WTF checks (X-CSRFToken header).
  // htmx only sends requests to our own origin (htmx.config.selfRequestsOnly, on by default).
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      event.detail.headers["X-CSRFToken"] = meta.content;
    }
  });

  // Jalali date fields: <input data-jdp>. The picker writes 1405/09/05 (ASCII digits, zero-padded)
  // and reads only that form back; people may type ۱۴۰۵/۹/۵ or 1405-9-5, which it would read as
  // NaN. So the value is put into the picker's form just before it opens (the picker listens on
  // focusin at <body>; this listener runs first, in the capture phase at document).
  var DATE_TYPED = /^\s*(\d{4})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{1,2})\s*$/;

  function asciiDigits(text) {
    return text
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06f0); })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  // On a Persian page a date field shows Persian digits: the picker reads and writes ASCII ones, so
  // they are put back after it has read the field (it opened showing «1405/09/16», a walk through
  // the pages) and after it wrote a chosen day. The server reads either.
  var PERSIAN_PAGE = document.documentElement.lang === "fa";

  function persianDigits(text) {
    return text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06f0 + Number(d)); });
  }

  function showPersianDigits(input) {
    var all = input.value.length > 0 && input.selectionStart === 0 && input.selectionEnd === input.value.length;
    var shown = persianDigits(input.value);
    if (shown !== input.value) {
      input.value = shown;
      if (all) {
        input.select();
      }
    }
  }

  function pad2(number) {
    return number.length === 1 ? "0" + number : number;
  }

  document.addEventListener("focusin", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-jdp")) {
      return;
    }
    var parts = DATE_TYPED.exec(asciiDigits(input.value));
    if (parts) {
      // Setting the value drops the selection Tab made: a date typed then went after the old one
      // («1405/09/15۱۴۰۵/۰۹/۱۰», a walk through the pages). All of it selected stays so.
      var all = input.value.length > 0 && input.selectionStart === 0 && input.selectionEnd === input.value.length;
      input.value = parts[1] + "/" + pad2(parts[2]) + "/" + pad2(parts[3]);
      if (all) {
        input.select();
      }
    }
    if (PERSIAN_PAGE) {
      var read = input.value;  // what the picker reads in its own focusin, right after this one
      setTimeout(function () {
        if (input.value === read) {  // not what was typed since
          showPersianDigits(input);
        }
      }, 0);
    }
  }, true);

  // The picker's own event when a day is picked (before "change"); what is typed stays as typed.
  document.addEventListener("jdp:change", function (event) {
    var input = event.target;
    if (PERSIAN_PAGE && input instanceof HTMLInputElement && input.hasAttribute("data-jdp")) {
      showPersianDigits(input);
    }
  });

  // On a phone (the picker's own breakpoint, 481 px) the calendar is a sheet over the lower part of
  // the screen, and its veil ate every tap outside it: at 375 px it covered the contact form's date
  // field and «ثبت تماس», and a tap on the button only closed the calendar (session 41's walk).
  // The veil is gone (app.css); the page gets room below (body.jdp-sheet-open) and scrolls the
  // field, and the form's button when both fit, above the sheet.
  var PHONE_SHEET = window.matchMedia("(max-width: 481px)");
  var sheetWatched = null;

  function openSheet() {
    var sheet = document.querySelector("jdp-container");
    return sheet && sheet.style.display !== "none" && sheet.style.visibility !== "hidden" ? sheet : null;
  }

  function watchSheet(sheet) {
    if (sheetWatched === sheet) {
      return;
    }
    sheetWatched = sheet;
    new MutationObserver(function () {
      // The room goes with the sheet, unless the page is scrolled into it: the page would jump
      // under a finger on its way to a button (the 22rem of app.css).
      var room = 22 * parseFloat(getComputedStyle(document.documentElement).fontSize);
      if (!openSheet() && window.scrollY + window.innerHeight <= document.documentElement.scrollHeight - room) {
        document.body.classList.remove("jdp-sheet-open");
      }
    }).observe(sheet, {attributes: true, attributeFilter: ["style"]});
  }

  function keepAboveSheet(input) {
    var sheet = openSheet();
    if (!PHONE_SHEET.matches || !sheet || input !== document.activeElement) {
      return;
    }
    document.body.classList.add("jdp-sheet-open");
    watchSheet(sheet);
    var sheetTop = window.innerHeight - sheet.offsetHeight;
    var field = input.getBoundingClientRect();
    var keep = field.bottom;
    var button = input.form && input.form.querySelector("button[type=submit]");
    if (button) {
      var shown = button.getBoundingClientRect();
      if (shown.bottom > field.bottom && shown.bottom - field.top <= sheetTop - 16) {
        keep = shown.bottom;
      }
    }
    var by = keep + 8 - sheetTop;
    if (field.top - by < 8) {  // never past the field's own top
      by = field.top - 8;
    }
    if (by > 0) {
      window.scrollBy({top: by, behavior: "instant"});  // not Bootstrap's smooth scroll: a tap meanwhile missed
    }
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-jdp")) {
      setTimeout(function () { keepAboveSheet(target); }, 0);  // after the picker has opened
    } else if (openSheet() && outsideSheet(target)) {
      closeSheet();  // Tab from the date to the next field or the button: it stayed open over them
    }
  });

  // A tap beside the calendar that moves the focus nowhere (the menu bar's edge, the footer: not
  // in <main>, which takes it): the picker's own «outside» check waits for its 300 ms opening, then
  // shows it, and the calendar stayed open over the form (session 44's note).
  document.addEventListener("click", function (event) {
    if (openSheet() && outsideSheet(event.target) && outsideSheet(document.activeElement)) {
      closeSheet();
    }
  });

  function closeSheet() {
    if (!window.jalaliDatepicker) {
      return;
    }
    window.jalaliDatepicker.hide();
    // The picker shows itself again 300 ms after it opened (its transition's timer): a Tab or a
    // tap within them left the calendar open. Hidden again once that timer has run.
    setTimeout(function () {
      if (openSheet() && outsideSheet(document.activeElement)) {
        window.jalaliDatepicker.hide();
      }
    }, 350);
  }

  function outsideSheet(element) {
    // Focus neither on a date field nor inside the calendar.
    return !(element instanceof HTMLInputElement && element.hasAttribute("data-jdp")) &&
      !(element instanceof Element && element.closest("jdp-container"));
  }

  function startDatePicker() {
    if (!window.jalaliDatepicker) {
      return;
    }
    // One watcher for the whole document (focusin on <body>), so fields that htmx swaps in later
    // work without being initialised again.
    window.jalaliDatepicker.startWatch({
      persianDigits: true,
      // Above Bootstrap's modal (1055) so a date field inside a dialog shows its calendar.
      zIndex: 1060,
      // data-jdp-min-date / data-jdp-max-date: "today", a date (1405/01/01) or a CSS selector of
      // another input whose value is the bound (e.g. "#id_start").
      minDate: "attr",
      maxDate: "attr",
      hasSecond: false
    });
  }

  // <form data-confirm="question">: ask before it is sent (a delete); Cancel sends nothing. The CSP
  // forbids onsubmit="return confirm(…)", which the browser would drop, sending at once.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // _form.html's file_picker: the chosen file's name beside its Persian button (the native input,
  // which would say it in the browser's language, is not drawn).
  function showChosenFile(input) {
    var name = input.parentElement && input.parentElement.querySelector(".file-picker-name");
    if (!name) {
      return;
    }
    var files = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    name.textContent = files.length ? files.join("، ") : name.getAttribute("data-none");
  }

  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.classList.contains("file-picker-input")) {
      showChosenFile(event.target);
    }
  });

  document.addEventListener("reset", function (event) {
    setTimeout(function () {
      Array.prototype.forEach.call(event.target.querySelectorAll(".file-picker-input"), showChosenFile);
    }, 0);
  });

  // A form the server refused comes back with its wrong fields marked .is-invalid (a case page's
  // refused form: aria-invalid, cases/_refusal.html): the first of them
  // gets the focus, its error being what to read next. A rule, a saved search or a conference left
  // the focus on <body>, a keyboard user at the top of the page; the contact form on its journalist
  // field whatever the error (session 43's walk). A date field too: it is focused before the picker
  // watches (start()), so its calendar does not open over the error; a tap on it opens it (below).
  function focusFirstError() {
    var first = document.querySelector("main .is-invalid, main [aria-invalid=true]");
    if (!first) {
      return;
    }
    first.focus();
    if (document.activeElement !== first) {
      first.scrollIntoView({ block: "center" });
    }
  }

  // The picker opens on focusin only: a date field that already has the focus opens it on a tap.
  document.addEventListener("click", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-jdp") && window.jalaliDatepicker &&
        input === document.activeElement && !openSheet()) {
      window.jalaliDatepicker.show(input);
    }
  });

  function start() {  // after forms.js has put back a form kept through an ended session
    focusFirstError();
    startDatePicker();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // A file asked for before the login (base.html's data-download-now, views/auth.py ``_onward``): fetched
  // once, on the page the login led to; a file's answer leaves this page as it is.
  function downloadAskedFile() {
    var link = document.querySelector("a[data-download-now]");
    if (link) {
      link.removeAttribute("data-download-now");
      link.click();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", downloadAskedFile);
  } else {
    downloadAskedFile();
  }
})();
