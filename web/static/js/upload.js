// Pasokan: the document upload form's checks before sending. On a slow
// connection a file over the limit would take minutes to send only to be
// refused, so the size is checked here first; a missing kind or file is
// caught too. Without this file the server refuses the same things and
// brings the form back with the same messages.
//
// Loaded with <script defer> on the pages with the form only. The words
// come from the page, in its language, in data- attributes of
// <form data-upload>:
//   data-max-bytes        the largest file accepted, in bytes
//   data-decimal          the decimal separator of the page's language
//   data-error-heading    the error summary's heading
//   data-error-too-large  the message for a file over the limit, with
//                         {name} and {size} to fill in
//   data-error-kind       the message for no kind chosen
//   data-error-file       the message for no file chosen
// Errors are drawn as the server draws them (GOV.UK): the message at the
// field, and a summary above the form linking to it, focused on submit.
(function () {
  "use strict";

  var form = document.querySelector("form[data-upload]");
  if (!form) {
    return;
  }
  var file = form.querySelector("#f-file");
  var kind = form.querySelector("#f-kind");
  var max = parseInt(form.getAttribute("data-max-bytes"), 10);
  var decimal = form.getAttribute("data-decimal") || ",";
  var group = decimal === "," ? "." : ",";
  if (!file || !kind || !(max > 0)) {
    return;
  }

  // whole groups thousands as the page's language does: 1.024 or 1,024.
  function whole(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  }

  // size writes n bytes as the server does for a file (SizeOf): rounded
  // up, so a file over the limit never reads as equal to it.
  function size(n) {
    if (n < 1048576) {
      return whole(Math.ceil(n / 1024)) + " KB";
    }
    var tenths = Math.ceil((n * 10) / 1048576);
    var s = whole(Math.floor(tenths / 10));
    if (tenths % 10 !== 0) {
      s += decimal + (tenths % 10);
    }
    return s + " MB";
  }

  function words(name) {
    return form.getAttribute("data-error-" + name) || "";
  }

  function kindChosen() {
    if (kind.value !== "") {
      return true;
    }
    return form.querySelector('input[type="checkbox"][name="kind"]:checked') !== null;
  }

  // errorsFor lists what is wrong: [field, message] pairs in the order of
  // the form. On change only the file's size is checked; on submit all.
  function errorsFor(submitting) {
    var out = [];
    if (submitting && !kindChosen()) {
      out.push([kind, words("kind")]);
    }
    var f = file.files && file.files[0];
    if (f && f.size > max) {
      out.push([file, words("too-large").replace("{name}", f.name).replace("{size}", size(f.size))]);
    } else if (submitting && !f) {
      out.push([file, words("file")]);
    }
    return out;
  }

  function describedBy(el, id, add) {
    var ids = (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (add) {
      ids.push(id);
    }
    if (ids.length) {
      el.setAttribute("aria-describedby", ids.join(" "));
    } else {
      el.removeAttribute("aria-describedby");
    }
  }

  // clearField takes away a field's error, whoever drew it.
  function clearField(el) {
    var id = el.id + "-error";
    var old = document.getElementById(id);
    if (old) {
      old.parentNode.removeChild(old);
    }
    el.removeAttribute("aria-invalid");
    describedBy(el, id, false);
  }

  function summaries() {
    return form.parentNode.querySelectorAll(".form-errors");
  }

  function showField(el, message) {
    clearField(el);
    var p = document.createElement("p");
    p.className = "field-error";
    p.id = el.id + "-error";
    p.textContent = message;
    el.parentNode.insertBefore(p, el);
    el.setAttribute("aria-invalid", "true");
    describedBy(el, p.id, true);
  }

  // summarise redraws the summary above the form from the errors at its
  // fields, whoever drew them, in the order of the form; focus moves to it
  // when asked (on submit, not while the person is choosing).
  function summarise(focus) {
    Array.prototype.forEach.call(summaries(), function (s) {
      s.parentNode.removeChild(s);
    });
    var errors = form.querySelectorAll(".field-error[id$='-error']");
    if (!errors.length) {
      return;
    }
    var box = document.createElement("div");
    box.className = "form-errors";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("data-testid", "upload-errors");
    var h = document.createElement("h2");
    h.className = "form-errors-title";
    h.textContent = words("heading");
    box.appendChild(h);
    var ul = document.createElement("ul");
    Array.prototype.forEach.call(errors, function (p) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#" + p.id.slice(0, -"-error".length);
      a.textContent = p.textContent;
      li.appendChild(a);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    form.parentNode.insertBefore(box, form);
    if (focus) {
      box.focus();
    }
  }

  // A newly chosen file replaces what was said of the one before.
  file.addEventListener("change", function () {
    clearField(file);
    var chosen = document.getElementById("f-file-chosen");
    if (chosen) {
      chosen.hidden = true;
      describedBy(file, chosen.id, false);
    }
    errorsFor(false).forEach(function (e) {
      showField(e[0], e[1]);
    });
    summarise(false);
  });

  function kindChanged() {
    if (kindChosen()) {
      clearField(kind);
      summarise(false);
    }
  }
  kind.addEventListener("change", kindChanged);
  Array.prototype.forEach.call(form.querySelectorAll('input[type="checkbox"][name="kind"]'), function (box) {
    box.addEventListener("change", kindChanged);
  });

  // On the form itself, so it runs before app.js's guard on the document,
  // which then sees the submit cancelled and does not lock the form.
  form.addEventListener("submit", function (event) {
    var errs = errorsFor(true);
    if (!errs.length) {
      return;
    }
    event.preventDefault();
    [kind, file].forEach(clearField);
    errs.forEach(function (e) {
      showField(e[0], e[1]);
    });
    summarise(true);
  });
})();
