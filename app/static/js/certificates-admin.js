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

  function setText(name, text) {
    var target = preview.querySelector('[data-preview="' + name + '"]');
    if (target) { target.textContent = text; }
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
    setText("number", formatNumber(value("number_pattern"), 1, year, month));
    setText("signer_name", value("signer_name"));
    setText("signer_position", value("signer_position"));
    setText("signer_nip", value("signer_nip"));
    var override = value("jp_override");
    var minutes = parseInt(preview.dataset.agendaMinutes, 10) || 0;
    setText("jp", /^\d+$/.test(override) ? override : String(jpFrom(minutes, value("jp_rounding"))));
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
  var issueForm = document.getElementById("issue-form");
  if (issueForm) {
    issueForm.addEventListener("submit", function () {
      var button = issueForm.querySelector("button");
      busy(button);
      button.disabled = true;
    });
  }
  var zip = document.getElementById("zip-link");
  if (zip) { zip.addEventListener("click", function () { busy(zip); }); }
})();
