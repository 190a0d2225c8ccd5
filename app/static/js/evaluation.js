// After a refused submit, the list of what to fix gets the focus (read out by screen readers).
const summary = document.getElementById("error-summary");
if (summary) summary.focus();
