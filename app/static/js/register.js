// Type part of an OPD's name to narrow the list; with one match left it is chosen.
(function () {
  var filter = document.getElementById("organization-filter");
  var select = document.getElementById("organization");
  if (!filter || !select) return;
  var options = Array.prototype.slice.call(select.options, 1);
  filter.hidden = false;
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = options.filter(function (option) {
      var text = option.text.toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      option.disabled = !match;
      return match;
    });
    if (shown.length === 1) select.value = shown[0].value;
  });
})();
