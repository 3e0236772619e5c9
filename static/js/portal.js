// liaison portal behaviour. No inline scripts anywhere (Content-Security-Policy): pages opt in with data- attributes.
(function () {
  "use strict";
  // Prevent double submission: a form marked data-once disables its submit buttons after the first submit.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); b.classList.add("disabled"); });
  });
  // Confirm dialogs: <button data-confirm="确定吗？">.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();
