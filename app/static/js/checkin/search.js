// Finding a person without a ticket by name or NIP: from the API, or by name from the offline copy.
import { call } from "./api.js";
import { fill } from "./results.js";

const WAIT_MS = 250;

export class SearchBox {
  // `elements`: form, input, note, list. `options`: url, strings, clock, day() (the chosen day),
  // tickets() (the offline copy's tickets) and checkIn(person) for the button on each row.
  constructor(elements, options) {
    this.els = elements;
    this.options = options;
    this.timer = null;
    elements.input.addEventListener("input", () => this.typed());
    elements.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = elements.input.value.trim();
      if (text.length >= 2) this.search(text);
    });
  }

  typed() {
    clearTimeout(this.timer);
    const text = this.els.input.value.trim();
    if (text.length < 2) {
      this.els.list.replaceChildren();
      this.els.note.hidden = true;
      return;
    }
    this.timer = setTimeout(() => this.search(text), WAIT_MS);
  }

  clear() {
    clearTimeout(this.timer);
    this.els.input.value = "";
    this.els.list.replaceChildren();
    this.els.note.hidden = true;
    this.els.input.blur();
  }

  async search(text) {
    const { url, strings, day } = this.options;
    let people;
    this.els.note.hidden = true;
    try {
      const { status, data } = await call("GET", `${url}?q=${encodeURIComponent(text)}&day=${encodeURIComponent(day())}`);
      people = status === 200 ? data.results : [];
    } catch (error) {
      people = this.offline(text);
      this.els.note.textContent = strings.searchOffline;
      this.els.note.hidden = false;
    }
    if (this.els.input.value.trim() !== text) return;  // a newer search is under way
    this.els.list.replaceChildren(...people.map((person) => this.row(person)));
    if (!people.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = strings.noMatch;
      this.els.list.append(li);
    }
  }

  offline(text) {
    const needle = text.toLowerCase();
    const day = this.options.day();
    return this.options.tickets().filter((ticket) => ticket.full_name.toLowerCase().includes(needle)).slice(0, 20)
      .map((ticket) => ({ ...ticket, checked_in_at: ticket.checked_in[day] || null }));
  }

  row(person) {
    const { strings, clock } = this.options;
    const li = document.createElement("li");
    const who = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = person.full_name;
    const organization = document.createElement("span");
    organization.textContent = person.organization;
    who.append(name, organization);
    if (person.masked_nip) {
      const nip = document.createElement("span");
      nip.className = "nip";
      nip.textContent = `NIP ${person.masked_nip}`;
      who.append(nip);
    }
    li.append(who);
    if (person.status !== "registered") {
      li.append(tag("tag tag-bad", strings.cancelledShort));
    } else if (person.checked_in_at) {
      li.append(tag("tag tag-warn", fill(strings.presentAt, { time: clock(person.checked_in_at) })));
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-primary btn-small";
      button.textContent = strings.checkInButton;
      button.addEventListener("click", () => {
        this.clear();
        this.options.checkIn(person);
      });
      li.append(button);
    }
    return li;
  }
}

function tag(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}
