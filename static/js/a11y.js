// Focus and announcements for keyboard and screen-reader users (progressive
// enhancement: every page works without it).
//
// - After a failed save the error summary takes focus: on page load, and when htmx
//   swaps in a form with errors. Other swapped-in content may mark the element that
//   should take focus with data-focus (a status message), so focus never falls back
//   to <body>.
// - Live regions that speak once: swapped-in content carries a short status text in
//   data-announce; it goes into a live region that stays in the page
//   (data-announce-to), and only when the text changed. Also after a full page load
//   (a form posted without htmx, such as the tone check of a summary): a live region
//   speaks changes, not the text it is born with, so the text is set just after load.
(function () {
  "use strict";

  function within(root, selector) {
    var found = [];
    if (root.matches && root.matches(selector)) found.push(root);
    if (root.querySelectorAll) found = found.concat([].slice.call(root.querySelectorAll(selector)));
    return found;
  }

  function focus(target) {
    if (!target.hasAttribute("tabindex") && !target.matches("a, button, input, select, textarea")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function announce(root) {
    within(root, "[data-announce]").forEach(function (source) {
      var region = document.getElementById(source.getAttribute("data-announce-to"));
      var text = source.getAttribute("data-announce");
      if (region && text && region.textContent !== text) region.textContent = text;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
    // A moment later: the region is in the accessibility tree before its text changes.
    setTimeout(function () { announce(document.body); }, 250);
  });

  document.addEventListener("htmx:load", function (event) {
    var root = event.detail && event.detail.elt;
    if (!root || root === document.body) return;
    var target = within(root, "[data-error-summary]")[0] || within(root, "[data-focus]")[0];
    if (target) focus(target);
    announce(root);
  });

  // A link in the error summary moves focus to its field (opening a closed <details>).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    var details = field.closest("details");
    if (details) details.open = true;
    event.preventDefault();
    field.focus();
  });
})();
