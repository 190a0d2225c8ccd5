// The WhatsApp click-through list: opening a message in WhatsApp marks it sent (a POST with the
// page's CSRF token); the link itself is a plain link, so it works without this script too.
(function () {
  var token = document.querySelector('meta[name="csrf-token"]');
  document.querySelectorAll("a[data-mark]").forEach(function (link) {
    link.addEventListener("click", function () {
      fetch(link.dataset.mark, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.content : "", Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) return;
        var row = link.closest("[data-message]");
        if (row) { row.classList.add("done"); row.querySelector(".state").textContent = link.dataset.done; }
      });
    });
  });
})();
