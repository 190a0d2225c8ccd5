// Materials page: a title field per chosen file, a size check before sending (deleting asks on a page of its own: app/confirm.py).
(function () {
  var form = document.getElementById("upload-form");
  if (form) {
    var input = document.getElementById("files");
    var titles = document.getElementById("file-titles");
    var warning = document.getElementById("upload-warning");
    var button = document.getElementById("upload-button");
    var maxBytes = parseInt(form.dataset.maxBytes, 10);

    input.addEventListener("change", function () {
      titles.textContent = "";
      var total = 0;
      Array.prototype.forEach.call(input.files, function (file, i) {
        total += file.size;
        var field = document.createElement("div");
        field.className = "field";
        var label = document.createElement("label");
        label.htmlFor = "title-new-" + i;
        label.textContent = form.dataset.titleLabel + ": " + file.name;
        var text = document.createElement("input");
        text.type = "text";
        text.id = "title-new-" + i;
        text.name = "titles";
        text.maxLength = 300;
        text.value = file.name.replace(/\.[^.]+$/, "");
        field.appendChild(label);
        field.appendChild(text);
        titles.appendChild(field);
      });
      var tooLarge = total > maxBytes;
      warning.hidden = !tooLarge;
      warning.textContent = tooLarge ? form.dataset.tooLarge : "";
      button.disabled = tooLarge;
    });

    form.addEventListener("submit", function () {
      button.disabled = true;
      button.textContent = form.dataset.uploading;
    });
  }
})();
