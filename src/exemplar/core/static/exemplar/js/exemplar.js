/* Exemplar's only script besides htmx. Everything works without it;
   it adds conveniences: auto-submitting the language menu, and keeping
   the tree toggles' aria-expanded in step with what is shown. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.classList && el.classList.contains("js-autosubmit") && el.form) {
      el.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var btn = event.target.closest ? event.target.closest(".tree-toggle") : null;
    if (!btn) { return; }
    var list = document.getElementById(btn.getAttribute("aria-controls"));
    if (!list) { return; }
    var open = btn.getAttribute("aria-expanded") === "true";
    btn.setAttribute("aria-expanded", open ? "false" : "true");
    list.hidden = open;
  });

  /* Polling panels (import progress) say when they are done by dropping
     their hx-trigger; nothing to do here but let htmx swap them. */
})();
