// liaison portal behaviour. No inline scripts anywhere (Content-Security-Policy): pages opt in with data- attributes.
(function () {
  "use strict";

  // Prevent double submission. Every POST form is guarded (a form marked data-once too, whatever its method): after
  // the first submit its buttons are disabled and a second submit is dropped. Opt out with data-resubmit (a form whose
  // answer is a download and leaves the page where it is). htmx forms are disabled while their request runs.
  function submitButtons(form) {
    return form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])");
  }
  function setBusy(form, busy) {
    submitButtons(form).forEach(function (b) {
      if (busy) { b.setAttribute("aria-disabled", "true"); b.classList.add("disabled"); }
      else { b.removeAttribute("aria-disabled"); b.classList.remove("disabled"); }
    });
  }
  function guarded(form) {
    if (form.hasAttribute("data-resubmit")) return false;
    if (form.hasAttribute("data-once")) return true;
    if (form.hasAttribute("hx-post") || form.hasAttribute("hx-put") || form.hasAttribute("hx-delete")) return false;
    if (form.getAttribute("target")) return false;
    return (form.getAttribute("method") || "get").toLowerCase() === "post";
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !guarded(form)) return;
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    if (event.defaultPrevented) return;
    form.dataset.submitted = "1";
    setBusy(form, true);
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form && !form.hasAttribute("data-resubmit")) {
      if (form.dataset.busy === "1") { event.preventDefault(); return; }
      form.dataset.busy = "1"; setBusy(form, true);
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form && form.dataset.busy === "1") { delete form.dataset.busy; setBusy(form, false); }
  });
  // A page restored from the back/forward cache must be usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      setBusy(form, false);
    });
  });

  // Confirm dialog: <button data-confirm="确定撤回这条建议吗？"> or <a data-confirm="…">.
  // The shared Bootstrap modal (components/confirm_dialog.html) asks; OK repeats the action without asking again.
  var pending = null;
  function dialog() { return document.getElementById("confirm-dialog"); }
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (!el) return;
    if (el.dataset.confirmed === "1") { delete el.dataset.confirmed; return; }
    event.preventDefault();
    var modalEl = dialog();
    if (!modalEl || !window.bootstrap) {
      if (window.confirm(el.getAttribute("data-confirm"))) { el.dataset.confirmed = "1"; el.click(); }
      return;
    }
    pending = el;
    modalEl.querySelector("[data-confirm-message]").textContent = el.getAttribute("data-confirm");
    window.bootstrap.Modal.getOrCreateInstance(modalEl).show();
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-confirm-ok]") || !pending) return;
    var el = pending;
    pending = null;
    window.bootstrap.Modal.getOrCreateInstance(dialog()).hide();
    el.dataset.confirmed = "1";
    el.click();
  });

  // Toasts: Django messages are rendered by the server; an htmx response can add one with the header
  // HX-Trigger: {"toast": {"message": "已保存", "tone": "success"}}.
  function showToast(message, tone) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var toast = document.createElement("div");
    toast.className = "toast show align-items-center border-0 toast-" + (tone || "info");
    toast.setAttribute("role", tone === "danger" ? "alert" : "status");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", box.dataset.closeLabel || "×");
    row.appendChild(body); row.appendChild(close); toast.appendChild(row); box.appendChild(toast);
    if (window.bootstrap) { window.bootstrap.Toast.getOrCreateInstance(toast, { delay: 6000 }).show(); }
  }
  window.portalToast = showToast;
  document.body.addEventListener("toast", function (event) {
    var detail = event.detail || {};
    showToast(detail.message || detail.value || "", detail.tone);
  });
  // Server-rendered success/info toasts fade after a while; errors stay until closed.
  document.querySelectorAll("#toasts .toast-success, #toasts .toast-info").forEach(function (toast) {
    if (window.bootstrap) { window.bootstrap.Toast.getOrCreateInstance(toast, { delay: 8000 }).show(); }
  });
})();
