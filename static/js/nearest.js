/* The directory's "查找附近的联络站" button: asks the browser for the phone's location (the browser asks the
   citizen first) and reloads the directory sorted by distance (?lat=&lng=); the server computes the distances.
   The messages come translated from the button's data-msg-* attributes. No inline script: CSP forbids it. */
(function () {
  "use strict";

  var button = document.getElementById("nearest-button");
  var message = document.getElementById("nearest-message");
  if (!button || !message) { return; }
  button.hidden = false;

  function say(text) { message.textContent = text; }

  button.addEventListener("click", function () {
    if (!("geolocation" in navigator) || !navigator.geolocation) {
      say(button.dataset.msgUnsupported);
      return;
    }
    button.disabled = true;
    say(button.dataset.msgLocating);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var params = new URLSearchParams(window.location.search);
        params.delete("page");
        // five decimals are about a metre: enough to sort stations, no more of the citizen's place than needed
        params.set("lat", position.coords.latitude.toFixed(5));
        params.set("lng", position.coords.longitude.toFixed(5));
        window.location.search = params.toString();
      },
      function (error) {
        button.disabled = false;
        say(error.code === 1 ? button.dataset.msgDenied : button.dataset.msgUnavailable);
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  });
})();
