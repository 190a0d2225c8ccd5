// The WhatsApp click-through list: opening a message in WhatsApp marks it sent (a POST with the
// page's CSRF token); the link itself is a plain link, so it works without this script too. The
// server may answer that the message could not go out any more (the person cancelled since the page
// was loaded): the row then says so, never "terkirim".
(function () {
  var token = document.querySelector('meta[name="csrf-token"]');
  document.querySelectorAll("a[data-mark]").forEach(function (link) {
    link.addEventListener("click", function () {
      fetch(link.dataset.mark, {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.content : "", Accept: "application/json" },
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (body) {
        var row = link.closest("[data-message]");
        if (!body || !row) return;
        row.classList.add("done");
        row.querySelector(".state").textContent = body.status === "sent" ? link.dataset.done : link.dataset.failed;
      });
    });
  });
})();
