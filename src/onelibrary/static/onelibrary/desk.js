// The desk's scan screens, with htmx. Without JavaScript the same forms post and reload.
//
// A wedge scanner types a barcode and Enter, then the next one a second later. Each scan
// is read the moment it is submitted, the field is emptied for the next one, and the
// requests go one after another, so no scan is lost or sent with the wrong barcode even
// when the server is slow. The focus always goes back to the scan field.
(function () {
  "use strict";

  let queue = Promise.resolve();

  function scanField() {
    return document.querySelector("[data-scan-field]");
  }

  function focusScanField() {
    const field = scanField();
    if (field) {
      field.focus();
    }
  }

  function failureLine(text) {
    const results = document.getElementById("scan-results");
    if (!results) {
      return;
    }
    const line = document.createElement("li");
    line.className = "scan-line scan-error";
    const label = document.createElement("p");
    label.className = "scan-label";
    label.textContent = "Not done";
    const instruction = document.createElement("p");
    instruction.className = "scan-instruction";
    instruction.textContent = "SCAN AGAIN";
    const message = document.createElement("p");
    message.className = "scan-message";
    message.textContent = text;
    line.append(label, instruction, message);
    results.prepend(line);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("[data-desk-scan]") || typeof htmx === "undefined") {
      return;
    }
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form));
    const field = form.querySelector("[data-scan-field]");
    if (field) {
      field.value = "";
    }
    const target = form.dataset.target
      ? document.querySelector(form.dataset.target)
      : form.closest("li");
    const swap = form.dataset.swap || "afterbegin";
    queue = queue
      .then(function () {
        // The source is the target, not the form: the values were read above.
        return htmx.ajax("POST", form.action, { source: target, target, swap, values });
      })
      .catch(function () {
        failureLine("The desk could not reach OneLibrary. Check the connection and scan again.");
      })
      .then(focusScanField);
  });

  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr ? event.detail.xhr.status : "";
    failureLine("OneLibrary could not process that scan (error " + status + "). Scan it again.");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    if (event.target.matches && event.target.matches("[data-override-reason]")) {
      event.preventDefault();
      focusScanField();
      return;
    }
    const done = document.querySelector("[data-escape-submits]");
    if (done) {
      event.preventDefault();
      done.requestSubmit();
    }
  });
})();
