// Keys typed before the scan field has the focus belong to the scan field.
//
// A wedge scanner types as soon as the desk worker pulls the trigger, often while the page
// after the previous scan is still loading: before the browser has put the focus in the
// field marked `autofocus`, or before the field has even been parsed. Those keys reach the
// page itself and were lost ("CRATE-NOPE" arrived as "RATE-NOPE"). This script is loaded
// without `defer`, before the page's forms, so it listens from the start: a character or
// Enter typed while nothing has the focus goes to the page's scan field, and keys typed
// before the field exists are kept and put into it when the page is ready.
(function () {
  "use strict";

  let buffered = "";
  let enterPending = false;

  function scanField() {
    return document.querySelector("[data-scan-field]");
  }

  function nothingFocused(event) {
    return event.target === document.body || event.target === document.documentElement;
  }

  function putInto(field, text) {
    field.focus();
    field.value += text;
    field.setSelectionRange(field.value.length, field.value.length);
  }

  document.addEventListener("keydown", function (event) {
    if (!nothingFocused(event) || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const printable = event.key.length === 1 && event.key !== " ";
    if (!printable && event.key !== "Enter") {
      return;
    }
    const field = scanField();
    if (field) {
      event.preventDefault();
      if (printable) {
        putInto(field, event.key);
      } else if (field.value && field.form) {
        field.form.requestSubmit();
      }
      return;
    }
    if (document.readyState === "loading") {
      event.preventDefault();
      if (printable) {
        buffered += event.key;
      } else if (buffered) {
        enterPending = true;
      }
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    const field = scanField();
    if (!field || !buffered) {
      return;
    }
    putInto(field, buffered);
    buffered = "";
    if (enterPending && field.form) {
      enterPending = false;
      field.form.requestSubmit();
    }
  });
})();
