// The big result panel: green, amber or red for a few seconds, then ready for the next person.
import { signal } from "./feedback.js";

const KIND = {
  checked_in: "ok", already_checked_in: "warn", unknown_ticket: "bad", cancelled: "bad",
  not_event_day: "bad", future_day: "bad", invalid_request: "bad",
};
const SHOW_RESULT_MS = 3000;

// "{n} pindaian menunggu" with n filled in.
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

// A function giving the wall-clock time of an ISO moment in the event's time zone: "07.58" ("07:58" in English).
export function clockIn(timezone, locale) {
  const format = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "id-ID", {
    timeZone: timezone, hour: "2-digit", minute: "2-digit", hour12: false,
  });
  return (iso) => {
    const parts = format.formatToParts(new Date(iso));
    const get = (type) => parts.find((part) => part.type === type)?.value || "00";
    return `${get("hour")}${locale === "en" ? ":" : "."}${get("minute")}`;
  };
}

export class ResultPanel {
  // `elements`: the panel and its title, name, org and detail lines; `strings`: the page's texts.
  constructor(elements, strings, clock) {
    this.els = elements;
    this.strings = strings;
    this.clock = clock;
    this.idleTimer = null;
  }

  show(kind, title, participant, detail) {
    clearTimeout(this.idleTimer);
    this.els.panel.className = `result result-${kind}`;
    this.els.title.textContent = title;
    this.els.name.textContent = participant?.full_name || "";
    this.els.org.textContent = participant?.organization || "";
    this.els.detail.textContent = detail || "";
    signal(kind);
    this.idleTimer = setTimeout(() => this.ready(), SHOW_RESULT_MS);
  }

  ready() {
    this.els.panel.className = "result result-idle";
    this.els.title.textContent = this.strings.ready;
    this.els.name.textContent = "";
    this.els.org.textContent = "";
    this.els.detail.textContent = this.strings.readyHint;
  }

  // A check-in's answer (the API's `result`), from the server or decided offline.
  answer(result, participant, checkedInAt, offline) {
    const S = this.strings;
    let title = S[result] || S.unknown_ticket;
    if (result === "already_checked_in") title = fill(S.already_checked_in, { time: this.clock(checkedInAt) });
    let detail = participant?.masked_nip ? `NIP ${participant.masked_nip}` : participant?.position || "";
    if (offline && result === "checked_in") detail = S.recordedOffline;
    else if (offline && result === "unknown_ticket") title = S.notInCopy;
    this.show(KIND[result] || "bad", title, participant, detail);
    if (offline) this.els.panel.classList.add("result-offline");
  }
}
