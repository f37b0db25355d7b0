/* A form's fields kept through an ended session (forms.js; the CSP forbids inline scripts, see
   app.js). Loaded before app.js: what it puts back is there before app.js focuses a refused
   form's first error and starts the date fields. */
(function () {
  "use strict";

  // A form refused because its session had expired (a login again in another tab) lost what was
  // typed (session 43's note). When a form is sent its fields are kept in this tab's sessionStorage;
  // the refusal's page (data-form-lost) keeps them for the page its link opens, where they are put
  // back once, with a word (#form-restored); any other page forgets them. Never a form with a
  // password or a one-time code (a second factor's, a recovery code), a file, a hidden field or the
  // token; and put back only for the account that typed them (body's data-account: another's login
  // in a second tab of a shared computer opened the form with the first one's text in it).
  var KEPT = "hamzaban-sent-form";
  var SECRET = "input[type=password], input[autocomplete=one-time-code]";

  function account() {
    return document.body.getAttribute("data-account") || "";
  }

  // The page's own address (body's data-page, navigation.this_page): a page shown again as a
  // refused POST's answer (a case's empty note) is its GET page, not the POST's — the way back
  // went to the POST's address, a 405, and what was typed was lost.
  function here() {
    return document.body.getAttribute("data-page") || location.pathname + location.search;
  }

  function tabStorage() {
    try {
      return window.sessionStorage;
    } catch (e) {
      return null;
    }
  }

  // A form by its id and action, and its rank among the page's forms of the same two: a
  // conference's move forms share an action and their fields' names (the postponement's day was
  // put back into «برگزار شد», the first of them).
  function formKey(form) {
    var key = (form.id || "") + " " + (form.getAttribute("action") || "");
    var rank = Array.prototype.filter.call(document.forms, function (f) {
      return (f.id || "") + " " + (f.getAttribute("action") || "") === key &&
        (f === form || (f.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING));
    }).length;
    return key + " " + rank;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target, store = tabStorage();
    if (!store || event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    if (!account() || document.querySelector("[data-form-waits]")) {
      // the login's forms (password, code), a second factor's set-up before any other page: what
      // waits for them stays
      return;
    }
    store.removeItem(KEPT);  // a form sent forgets the one kept before
    if (form.method.toLowerCase() !== "post" || form.querySelector(SECRET)) {
      return;
    }
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      var type = (el.type || "").toLowerCase();
      if (!el.name || el.disabled || el.name === "csrf_token" || /^(hidden|file|submit|button|reset)$/.test(type)) {
        return;
      }
      if (type === "checkbox" || type === "radio") {
        fields.push([el.name, el.value, el.checked]);
      } else if (el instanceof HTMLSelectElement) {
        fields.push([el.name, Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; })]);
      } else {
        fields.push([el.name, el.value]);
      }
    });
    if (!fields.length) {
      return;  // nothing typed (a «خواندم» button, «خروج»)
    }
    store.setItem(KEPT, JSON.stringify({page: here(), form: formKey(form), from: location.pathname + location.search,
                                    account: account(), fields: fields}));
  });

  // The login's steps (a form sent to its own address, with a password or a code) go on to their
  // ``next``: the form's page, the referrer's. A page shown again as a refused POST's answer (a
  // case's empty note) has the POST's address, which the server does not take (a 405 after the
  // login, and the kept text lost): with no ``next``, the page the form was typed in — when the
  // login is that form's answer (its referrer the form's address; not a login opened later, after
  // a form whose answer was a file and left no page).
  function toTheKeptPage(kept) {
    var login = document.querySelector("main form:not([action]) " + SECRET.split(", ").join(", main form:not([action]) "));
    var params = new URLSearchParams(location.search);
    if (!login || params.has("next") || !/^\/(?![\/\\])/.test(kept.page || "") ||
        document.referrer !== location.origin + kept.from) {
      return;
    }
    var served = location.pathname + location.search;
    params.set("next", kept.page);
    history.replaceState(history.state, "", location.pathname + "?" + params.toString());
    // The language switch comes back to the page's address as served (this_page): «English» went to
    // «/login» without this ``next``, and the login then went home (session 46).
    Array.prototype.forEach.call(document.querySelectorAll("form input[name=next]"), function (el) {
      if (el.value === served) {
        el.value = location.pathname + location.search;
      }
    });
  }

  function restoreKeptForm() {
    var store = tabStorage(), kept = store && store.getItem(KEPT);
    if (!kept) {
      return;
    }
    try {
      kept = JSON.parse(kept);
    } catch (e) {
      kept = {};
    }
    if (!account()) {
      // A form sent after the session had ended (logged out in another tab, idle) comes to the
      // login, which sends the browser back to its page (next): it waits there for the login, and
      // is put back if the same account logs in (session 44's note: it was lost).
      kept.lost = true;
      store.setItem(KEPT, JSON.stringify(kept));
      toTheKeptPage(kept);
      return;
    } else if (kept.account !== account()) {
      kept = {};
    } else if (document.querySelector("[data-form-waits]")) {
      // The second factor's set-up, which a role that must use one sees before any other page: the
      // kept form waits for the page its end leads to (``next``); it was forgotten here (session 46).
      return;
    } else if (document.querySelector("[data-form-lost]")) {
      // back to the page the form was sent from (a path of this site), else the referrer's
      var back = document.querySelector("[data-form-lost]");
      if (/^\/(?![\/\\])/.test(kept.page || "")) {
        back.setAttribute("href", kept.page);
      } else {
        kept.page = back.getAttribute("href");
      }
      kept.lost = true;
      store.setItem(KEPT, JSON.stringify(kept));
      return;
    }
    store.removeItem(KEPT);
    var form = kept.lost && kept.page === here() &&
      Array.prototype.filter.call(document.querySelectorAll("main form"), function (f) { return formKey(f) === kept.form; })[0];
    if (!form) {
      return;
    }
    var first = null;
    kept.fields.forEach(function (field) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name !== field[0]) {
          return;
        }
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === field[1]) {
            el.checked = field[2];
          }
        } else if (el instanceof HTMLSelectElement) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = field[1].indexOf(o.value) !== -1; });
        } else if (!/^(hidden|file|password)$/.test(el.type)) {
          el.value = field[1];
        }
        first = first || el;
      });
    });
    var notice = document.getElementById("form-restored");
    if (notice && first) {
      // Its words go into the live region after the page is shown (a region filled before a
      // screen reader has seen it, or unhidden with its words in it, is not read out).
      setTimeout(function () {
        notice.className = "alert alert-info";
        notice.textContent = notice.getAttribute("data-words");
      }, 100);
    }
    if (first) {
      first.focus();  // the form given back, perhaps far down the page (a case's note): not <body>
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restoreKeptForm);
  } else {
    restoreKeptForm();
  }
})();
