// Ballot pages: count 赞成 as the deputy chooses and warn before submitting more than N.
(function () {
  "use strict";
  document.querySelectorAll("form.ballot-form").forEach(function (form) {
    var max = parseInt(form.dataset.seats, 10);
    var counter = form.querySelector(".ballot-counter");
    function update() {
      var n = form.querySelectorAll("input[data-choice=for]:checked").length;
      if (counter) {
        counter.textContent = counter.dataset.template.replace("{n}", n).replace("{max}", max);
        counter.classList.toggle("text-danger", n > max);
        counter.classList.toggle("fw-bold", n > max);
      }
    }
    form.addEventListener("change", update);
    update();
  });
})();
