// The certificate page: place the preview's blocks (mm on an A4 landscape page), keep the preview in
// step with the settings as they are typed, and say that bulk work is under way.
(function () {
  "use strict";
  var PAGE_W = 297, PAGE_H = 210;
  var ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
  var preview = document.getElementById("cert-preview");

  // A block's x is its centre and y its first baseline, in mm from the page's bottom left (as in
  // app/certificates/pdf.py); data-top says how far above y the block begins (the signer's place and
  // date, the QR's top edge). The baseline sits about 3.5 mm under the top of a line of text.
  function place(block) {
    var x = parseFloat(block.dataset.x), y = parseFloat(block.dataset.y);
    var top = y + parseFloat(block.dataset.top || "0") + 3.5;
    block.style.left = (x / PAGE_W * 100) + "%";
    block.style.top = ((PAGE_H - top) / PAGE_H * 100) + "%";
  }

  function movePositions() {
    Array.prototype.forEach.call(preview.querySelectorAll(".cp-block"), function (block) {
      var x = value("pos_" + block.dataset.block + "_x").replace(",", ".");
      var y = value("pos_" + block.dataset.block + "_y").replace(",", ".");
      if (/^\d{1,3}(\.\d)?$/.test(x) && /^\d{1,3}(\.\d)?$/.test(y)) {
        block.dataset.x = x;
        block.dataset.y = y;
        place(block);
      }
    });
  }

  function formatNumber(pattern, seq, year, month) {
    return pattern.replace(/\{(seq|year|month|roman_month)(?::0?(\d+)d)?\}/g, function (all, name, width) {
      var value = { seq: seq, year: year, month: month, roman_month: ROMAN[month - 1] }[name];
      value = String(value);
      if (width) { while (value.length < parseInt(width, 10)) { value = "0" + value; } }
      return value;
    });
  }

  function jpFrom(minutes, rounding) {
    var whole = Math.floor(minutes / 45), rest = minutes % 45;
    if (rounding === "up") { return whole + (rest > 0 ? 1 : 0); }
    if (rounding === "nearest") { return whole + (rest * 2 >= 45 ? 1 : 0); }
    return whole;
  }

  // The preview's lines are the PDF's (app/certificates/pdf.py certificate_lines); typing changes them.
  function setText(name, text) {
    var target = preview.querySelector('[data-line="' + name + '"]');
    if (target) {
      target.textContent = text;
      target.hidden = text === "";
    }
  }

  function value(id) {
    var input = document.getElementById(id);
    return input ? input.value : "";
  }

  var MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                "Oktober", "November", "Desember"];

  function refresh() {
    var year = parseInt(preview.dataset.year, 10), month = parseInt(preview.dataset.month, 10);
    var day = null, chosen = value("issue_date");
    if (/^\d{4}-\d{2}-\d{2}$/.test(chosen)) {
      var parts = chosen.split("-");
      year = parseInt(parts[0], 10); month = parseInt(parts[1], 10); day = parseInt(parts[2], 10);
    }
    var start = /^\d+$/.test(value("seq_start")) ? parseInt(value("seq_start"), 10) : 1;
    setText("number", "Nomor: " + formatNumber(value("number_pattern"), start, year, month));
    setText("signer_name", value("signer_name"));
    setText("signer_position", value("signer_position"));
    setText("signer_nip", value("signer_nip") ? "NIP. " + value("signer_nip") : "");
    var override = value("jp_override");
    var minutes = parseInt(preview.dataset.agendaMinutes, 10) || 0;
    var jp = /^\d+$/.test(override) ? override : String(jpFrom(minutes, value("jp_rounding")));
    var details = preview.querySelector('[data-line="details"]');
    if (details) { details.textContent = details.textContent.replace(/sejumlah \d+ JP/, "sejumlah " + jp + " JP"); }
    movePositions();
    if (day !== null) {
      var place = value("issue_place");
      var written = day + " " + MONTHS[month - 1] + " " + year;
      setText("place", place ? place + ", " + written : written);
    }
  }

  if (preview) {
    Array.prototype.forEach.call(preview.querySelectorAll(".cp-block"), place);
    var form = document.getElementById("certificate-settings");
    if (form) {
      form.addEventListener("input", refresh);
      form.addEventListener("change", refresh);
    }
    preview.dataset.ready = "1";
  }

  // Issuing or zipping thousands of certificates takes a while: say so instead of looking stuck.
  var progress = document.getElementById("bulk-progress");
  function busy(element) {
    if (!progress || !element) { return; }
    progress.textContent = element.dataset.busy;
    progress.hidden = false;
  }
  // The badge PDF comes back as a download and the page stays: say it is coming, and let the button
  // be pressed again a little later (a failed download must not leave it dead).
  // Marking them printed is offered once the download has been asked for (it marks nothing itself).
  var badgeForm = document.getElementById("badge-form");
  var printedForm = document.getElementById("badge-printed-form");
  if (printedForm) { printedForm.hidden = true; }
  if (badgeForm) {
    badgeForm.addEventListener("submit", function () {
      var button = badgeForm.querySelector("button");
      busy(button);
      if (printedForm) { setTimeout(function () { printedForm.hidden = false; }, 1500); }
      setTimeout(function () { button.disabled = true; }, 0);
      setTimeout(function () { button.disabled = false; }, 8000);
    });
  }
  var issueForm = document.getElementById("issue-form");
  if (issueForm) {
    issueForm.addEventListener("submit", function () {
      var button = issueForm.querySelector("button");
      busy(button);
      button.disabled = true;
    });
  }
  // The ZIP is written while it downloads: fetch it here, count its files as they arrive (each starts
  // with a ZIP local header, PK\x03\x04) against the count the server sends, then hand it over.
  var zip = document.getElementById("zip-link");
  function countHeaders(bytes, carry) {
    var found = 0, all = new Uint8Array(carry.length + bytes.length);
    all.set(carry, 0);
    all.set(bytes, carry.length);
    for (var i = 0; i + 3 < all.length; i++) {
      if (all[i] === 0x50 && all[i + 1] === 0x4b && all[i + 2] === 0x03 && all[i + 3] === 0x04) { found++; }
    }
    return { found: found, carry: all.slice(Math.max(all.length - 3, 0)) };
  }
  if (zip && window.fetch && window.ReadableStream) {
    zip.addEventListener("click", function (clickEvent) {
      clickEvent.preventDefault();
      busy(zip);
      fetch(zip.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok || !response.body) { throw new Error("HTTP " + response.status); }
        var total = parseInt(response.headers.get("X-Certificate-Count") || "0", 10);
        var reader = response.body.getReader(), parts = [], done = 0, carry = new Uint8Array(0);
        function pump() {
          return reader.read().then(function (step) {
            if (step.done) { return parts; }
            parts.push(step.value);
            var counted = countHeaders(step.value, carry);
            carry = counted.carry;
            done += counted.found;
            progress.textContent = zip.dataset.progress.replace("%(done)s", Math.min(done, total))
              .replace("%(total)s", total);
            return pump();
          });
        }
        return pump();
      }).then(function (parts) {
        var link = document.createElement("a");
        link.href = URL.createObjectURL(new Blob(parts, { type: "application/zip" }));
        link.download = zip.dataset.filename;
        document.body.appendChild(link);
        link.click();
        link.remove();
        progress.textContent = zip.dataset.finished;
      }).catch(function () {
        progress.textContent = zip.dataset.failed;
        window.location.href = zip.href;  // let the browser try the plain download
      });
    });
  }
})();
