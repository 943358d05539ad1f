// Pasokan: small progressive enhancements. Every page works without this
// file; it only saves a click or a mistake. Loaded with <script defer>, so
// the document is parsed when it runs. No inline handlers, no eval: the
// Content-Security-Policy allows scripts from our own origin only.
//
//   <form data-confirm="Hapus dokumen ini?">  asks before submitting
//     (a submit button may carry its own data-confirm, which wins);
//   <select data-autosubmit> submits its form on change, and the form's
//     <button data-autosubmit-button> is hidden because it is not needed;
//   POST forms ignore a second submit for 10 s (double taps on slow
//     connections), marking their submit buttons aria-disabled meanwhile;
//   <select data-filter-by="f-province_code"> with <optgroup data-group>
//     shows only the group of the other select's value (the regencies of
//     the chosen province); without JS every group shows, grouped;
//   <label class="password-toggle" hidden> around <input type="checkbox"
//     data-password-toggle="f-password"> is shown, and while it is ticked
//     the field shows what was typed; submitting hides it again.
(function () {
  "use strict";

  var GUARD_MS = 10000;

  // pending maps a form waiting for the server to its release timer.
  var pending = new WeakMap();

  // setBusy marks the form's submit buttons (including buttons outside it
  // that name it with form="...", which form.elements lists too).
  function setBusy(form, busy) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type !== "submit" && el.type !== "image") {
        return;
      }
      // aria-disabled, not disabled: a disabled submitter would drop its
      // name=value from the request that is being sent right now.
      if (busy) {
        el.setAttribute("aria-disabled", "true");
      } else {
        el.removeAttribute("aria-disabled");
      }
    });
    if (busy) {
      form.setAttribute("data-submitting", "");
      form.setAttribute("aria-busy", "true");
    } else {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
    }
  }

  function release(form) {
    window.clearTimeout(pending.get(form));
    pending.delete(form);
    setBusy(form, false);
  }

  // method returns the HTTP method the submit will use, honouring a
  // submitter's formmethod attribute.
  function method(form, submitter) {
    var m = submitter && submitter.getAttribute("formmethod");
    return (m || form.getAttribute("method") || "get").toLowerCase();
  }

  // opensElsewhere reports whether the response will load in another
  // window (a download or a new tab), leaving this page usable.
  function opensElsewhere(form, submitter) {
    var t = (submitter && submitter.getAttribute("formtarget")) || form.getAttribute("target");
    return !!t && t !== "_self";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    var submitter = event.submitter || null;

    // (c) A second submit while the first is on its way is ignored.
    if (pending.has(form)) {
      event.preventDefault();
      return;
    }

    // (a) Confirmation before destructive actions.
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }

    // (c) Guard only forms that change something and replace this page;
    // GET forms (search, filters) stay free to resubmit.
    if (method(form, submitter) !== "post" || opensElsewhere(form, submitter)) {
      return;
    }
    setBusy(form, true);
    pending.set(form, window.setTimeout(function () {
      release(form);
    }, GUARD_MS));
  });

  // A page restored from the back-forward cache must not keep its forms
  // locked from the submit that led away from it.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), release);
  });

  // (b) Submit on change for selects marked data-autosubmit.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-autosubmit") || !select.form) {
      return;
    }
    var form = select.form;
    // Both ways fire the submit event first, so confirm and the guard apply.
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else if (form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }))) {
      form.submit();
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (select) {
    if (!select.form) {
      return;
    }
    Array.prototype.forEach.call(select.form.querySelectorAll("button[data-autosubmit-button]"), function (b) {
      b.hidden = true;
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("select[data-filter-by]"), function (select) {
    var by = document.getElementById(select.getAttribute("data-filter-by"));
    if (!by) {
      return;
    }
    function filter() {
      var groups = select.querySelectorAll("optgroup[data-group]");
      Array.prototype.forEach.call(groups, function (g) {
        var show = !by.value || g.getAttribute("data-group") === by.value;
        g.hidden = !show;
        g.disabled = !show;
      });
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.parentNode.disabled) {
        select.value = "";
      }
    }
    by.addEventListener("change", filter);
    filter();
  });

  // (d) Show-password boxes. Drawn hidden, so that without JavaScript no
  // box does nothing. A reload may bring a box back ticked: start unticked.
  function passwordField(box) {
    return document.getElementById(box.getAttribute("data-password-toggle"));
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[data-password-toggle]"), function (box) {
    var field = passwordField(box);
    var label = box.closest(".password-toggle");
    if (!field || !label) {
      return;
    }
    box.checked = false;
    field.type = "password";
    box.addEventListener("change", function () {
      field.type = box.checked ? "text" : "password";
    });
    label.hidden = false;
  });

  // A form on its way hides its passwords again: the browser's password
  // manager sees a password field, and a page kept in the back-forward
  // cache shows none in clear.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll("input[data-password-toggle]"), function (box) {
      var field = passwordField(box);
      box.checked = false;
      if (field) {
        field.type = "password";
      }
    });
  });

  // A form that came back with errors: take the reader to its summary.
  var summary = document.querySelector(".form-errors");
  if (summary) {
    summary.focus();
  }
})();
