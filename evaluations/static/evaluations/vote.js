// The staff poll's voting page: a link or QR code carries the one-time code in its #fragment, which browsers never
// send to the server (so no access log pairs the code with a time). Fill it into the form, then drop it from the
// address bar and the browser history.
(function () {
  "use strict";
  var field = document.getElementById("id_code");
  var code = decodeURIComponent((window.location.hash || "").slice(1)).trim().toUpperCase();
  if (!field || !code) return;
  if (!field.value) field.value = code;
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
