// Handheld scanners (USB or Bluetooth) are keyboards: they type the code and press Enter,
// wherever the focus is: on the page, in the search box or in the device name. One rule tells a
// scan from a person typing, in every one of those places: a run of at least MIN_LENGTH
// characters, each arriving within MAX_GAP_MS of the one before, ended by Enter. Scanners send a
// character every few milliseconds (Bluetooth ones up to about 40 ms apart); nobody types eight
// characters in a row each within 80 ms. The events' own times are used, not the handler's
// clock: a busy page handles keys late, but their times are when they arrived. (A scan fired within
// 80 ms of a person's last keystroke in the same field would take that keystroke along: the
// token is then unknown and the desk scans again.)
export const MAX_GAP_MS = 80;
export const MIN_LENGTH = 8;

// The ticket token in what was scanned: the token itself, or a ticket URL ending in it.
// The same rule as token_from_scan() in app/checkin/services.py (tests/data/scan_cases.json).
export function tokenFromScan(scanned) {
  const text = (scanned || "").trim().split("?")[0].split("#")[0].replace(/\/+$/, "");
  return text.slice(text.lastIndexOf("/") + 1);
}

// The keystrokes of one place (the page or one text field), read one by one.
export class KeyRun {
  constructor({ maxGapMs = MAX_GAP_MS, minLength = MIN_LENGTH } = {}) {
    this.maxGapMs = maxGapMs;
    this.minLength = minLength;
    this.reset();
  }

  reset() {
    this.text = "";
    this.at = -Infinity;
    this.before = "";
  }

  // A printable character at `timeStamp`; `value` is the field's text before it (a run that
  // turns out to be a scan gives the field back that text).
  character(key, timeStamp, value = "") {
    if (timeStamp - this.at > this.maxGapMs) {
      this.text = "";
      this.before = value;
    }
    this.text += key;
    this.at = timeStamp;
  }

  // Enter at `timeStamp`: the scan it ends, as { text, before }, or null if none.
  enter(timeStamp) {
    const fast = timeStamp - this.at <= this.maxGapMs;
    const scan = fast && this.text.length >= this.minLength ? { text: this.text, before: this.before } : null;
    this.reset();
    return scan;
  }
}

// Calls onScan(text, field) for every scan, field being the text field it was typed into (which
// then gets its own text back, with an "input" event so that its listeners see it) or null.
// Listens on the whole document before anything else, so a scan's Enter neither submits the
// search nor reaches the field.
export function listenForScans(onScan, root = document) {
  const run = new KeyRun();
  let place = null;
  root.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.closest && target.closest("select")) return;
    if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    const field = target.closest ? target.closest("input, textarea") : null;
    if (field !== place) {
      run.reset();
      place = field;
    }
    if (event.key === "Enter") {
      const scan = run.enter(event.timeStamp);
      if (!scan) return;
      event.preventDefault();
      event.stopPropagation();
      if (field) {
        field.value = scan.before;
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      onScan(scan.text, field);
    } else if (event.key.length === 1) {
      run.character(event.key, event.timeStamp, field ? field.value : "");
    }
  }, true);
}
