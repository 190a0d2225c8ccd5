// Type part of an OPD's name, its short name or an alias (data-search) to narrow the list; with one
// match left that can be chosen, it is chosen. A full OPD (data-full) stays disabled.
(function () {
  var filter = document.getElementById("organization-filter");
  var select = document.getElementById("organization");
  if (!filter || !select) return;
  var options = Array.prototype.slice.call(select.options, 1);
  filter.hidden = false;
  filter.addEventListener("input", function () {
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = options.filter(function (option) {
      var text = (option.dataset.search || "") + " " + option.text.toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      option.hidden = !match;
      option.disabled = !match || option.dataset.full === "1";
      return match;
    });
    var open = shown.filter(function (option) { return option.dataset.full !== "1"; });
    if (open.length === 1) select.value = open[0].value;
  });
})();
