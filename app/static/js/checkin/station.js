// The check-in station: camera, handheld scanner and name search, one result at a time,
// online through the API and offline from the copy kept on this device.
import { call, OfflineError } from "./api.js";
import { Camera } from "./camera.js";
import { signal, unlockSound } from "./feedback.js";
import { dequeue, enqueue, loadRoster, queued, saveRoster, sha256 } from "./offline.js";

const config = JSON.parse(document.getElementById("station-config").textContent);
const S = config.strings;
const $ = (id) => document.getElementById(id);
const els = {
  day: $("day"), device: $("device"), net: $("net-status"), result: $("result"), title: $("result-title"),
  name: $("result-name"), org: $("result-org"), detail: $("result-detail"), video: $("camera-video"),
  cameraToggle: $("camera-toggle"), searchForm: $("search-form"), search: $("search"),
  searchNote: $("search-note"), searchResults: $("search-results"), queue: $("queue-status"),
  copy: $("copy-status"), present: $("count-present"), registered: $("count-registered"),
};
const RESULT_KIND = {
  checked_in: "ok", already_checked_in: "warn", unknown_ticket: "bad", cancelled: "bad",
  not_event_day: "bad", future_day: "bad", invalid_request: "bad",
};
const SHOW_RESULT_MS = 3000;
const DEVICE_KEY = "hadir.station.device";
const TOKEN_LIKE = /^(\S*\/)?[A-Za-z0-9_-]{20,64}\/?(\?\S*)?$/;

let roster = { event: config.slug, tickets: [], generated_at: null };
let byHash = new Map();
let byId = new Map();
let online = navigator.onLine;
let idleTimer = null;
let syncing = false;

// ---- formatting -------------------------------------------------------------------------------
const clockFormat = new Intl.DateTimeFormat(config.locale === "en" ? "en-GB" : "id-ID", {
  timeZone: config.timezone, hour: "2-digit", minute: "2-digit", hour12: false,
});
// The event's date of a moment, as YYYY-MM-DD (en-CA writes dates that way).
const eventDate = new Intl.DateTimeFormat("en-CA", { timeZone: config.timezone });
function clock(iso) {
  const parts = clockFormat.formatToParts(new Date(iso));
  const get = (type) => parts.find((part) => part.type === type)?.value || "00";
  return `${get("hour")}${config.locale === "en" ? ":" : "."}${get("minute")}`;
}
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

// ---- the big result panel ---------------------------------------------------------------------
function show(kind, title, participant, detail) {
  clearTimeout(idleTimer);
  els.result.className = `result result-${kind}`;
  els.title.textContent = title;
  els.name.textContent = participant?.full_name || "";
  els.org.textContent = participant?.organization || "";
  els.detail.textContent = detail || "";
  signal(kind);
  idleTimer = setTimeout(showReady, SHOW_RESULT_MS);
}

function showReady() {
  els.result.className = "result result-idle";
  els.title.textContent = S.ready;
  els.name.textContent = "";
  els.org.textContent = "";
  els.detail.textContent = S.readyHint;
}

function showAnswer(result, participant, checkedInAt, offline) {
  const kind = RESULT_KIND[result] || "bad";
  let title = S[result] || S.unknown_ticket;
  if (result === "already_checked_in") title = fill(S.already_checked_in, { time: clock(checkedInAt) });
  let detail = participant?.masked_nip ? `NIP ${participant.masked_nip}` : participant?.position || "";
  if (offline && result === "checked_in") detail = S.recordedOffline;
  else if (offline && result === "unknown_ticket") title = S.notInCopy;
  show(kind, title, participant, detail);
  if (offline) els.result.classList.add("result-offline");
}

// ---- network state, counts and the offline copy -----------------------------------------------
function setOnline(value) {
  online = value;
  els.net.textContent = value ? S.online : S.offline;
  els.net.className = `net ${value ? "net-online" : "net-offline"}`;
}

function indexRoster() {
  byHash = new Map(roster.tickets.map((ticket) => [ticket.hash, ticket]));
  byId = new Map(roster.tickets.map((ticket) => [ticket.id, ticket]));
  const when = roster.generated_at ? clock(roster.generated_at) : "–";
  els.copy.textContent = fill(S.copyAge, { n: roster.tickets.length, time: when });
}

async function refreshRoster() {
  try {
    const { status, data } = await call("GET", config.urls.roster);
    if (status !== 200) return;
    roster = data;
    // Scans still waiting to be sent are part of what this desk knows.
    for (const item of await queued(config.slug)) markPresent(item, item.scanned_at, false);
    indexRoster();
    await saveRoster(roster);
    setOnline(true);
  } catch (error) {
    if (error instanceof OfflineError) setOnline(false);
  }
}

function rosterEntry(item) {
  return item.hash ? byHash.get(item.hash) : byId.get(item.registration);
}

function markPresent(item, when, overwrite = true) {
  const entry = rosterEntry(item);
  if (entry && (overwrite || !entry.checked_in[item.day])) entry.checked_in[item.day] = when;
}

function currentDay() {
  return els.day.value;
}

function localCounts() {
  const day = currentDay();
  const active = roster.tickets.filter((ticket) => ticket.status === "registered");
  return { present: active.filter((ticket) => ticket.checked_in[day]).length, registered: active.length };
}

let countsTimer = null;
async function refreshCounts() {
  clearTimeout(countsTimer);
  let counts = localCounts();
  try {
    const url = `${config.urls.counts}?day=${encodeURIComponent(currentDay())}`;
    const { status, data } = await call("GET", url);
    if (status === 200) {
      counts = data;
      setOnline(true);
    }
  } catch (error) {
    // Offline: the copy on this device is the best count there is.
    if (error instanceof OfflineError) setOnline(false);
  }
  els.present.textContent = counts.present;
  els.registered.textContent = counts.registered;
  countsTimer = setTimeout(refreshCounts, 15000);
}

// ---- checking in --------------------------------------------------------------------------------
function tokenFromScan(text) {
  const clean = text.trim().split("?")[0].split("#")[0].replace(/\/+$/, "");
  return clean.slice(clean.lastIndexOf("/") + 1);
}

function decideOffline(item) {
  const entry = rosterEntry(item);
  if (!entry) return { result: "unknown_ticket" };
  const participant = { full_name: entry.full_name, organization: entry.organization, position: entry.position };
  if (entry.status !== "registered") return { result: "cancelled", participant };
  if (entry.checked_in[item.day]) {
    return { result: "already_checked_in", participant, checked_in_at: entry.checked_in[item.day] };
  }
  entry.checked_in[item.day] = item.scanned_at;
  return { result: "checked_in", participant, checked_in_at: item.scanned_at };
}

function send(item) {
  const body = { day: item.day, device: item.device, method: item.method, event: item.event };
  // A past day chosen while offline is a late record, not a scan taken on that day: the server
  // would refuse a scan time on another date than the day (400), so it gets none and is marked late.
  if (item.scanned_at && eventDate.format(new Date(item.scanned_at)) === item.day) body.scanned_at = item.scanned_at;
  if (item.token) return call("POST", config.urls.checkin, { ...body, token: item.token });
  return call("POST", config.urls.manual.replace(/\/0\/checkins$/, `/${item.registration}/checkins`), body);
}

async function checkIn(item) {
  if (!item.day) {
    show("bad", S.chooseDay, null, "");
    return;
  }
  item.event = config.slug;
  item.device = els.device.value.trim() || null;
  // After a failed request, decide offline at once (no wait for a timeout per person) until
  // the background sync or count refresh reaches the server again.
  if (!online) {
    await checkInOffline(item);
    return;
  }
  try {
    const { status, data } = await send(item);
    setOnline(true);
    if (status === 401 || status === 403) {
      show("bad", S.sessionEnded, null, "");
      return;
    }
    showAnswer(data.result, data.participant, data.checked_in_at, false);
    if (data.participant && data.checked_in_at) {
      markPresent({ ...item, hash: null, registration: data.participant.id }, data.checked_in_at);
      saveRoster(roster);
    }
    refreshCounts();
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    setOnline(false);
    await checkInOffline(item);
  }
}

async function checkInOffline(item) {
  item.scanned_at = new Date().toISOString();
  // Queued before anything is shown: a reload or a flat battery loses nothing.
  await enqueue(item);
  const answer = decideOffline(item);
  showAnswer(answer.result, answer.participant, answer.checked_in_at, true);
  await saveRoster(roster);
  const counts = localCounts();
  els.present.textContent = counts.present;
  els.registered.textContent = counts.registered;
  showQueue();
}

async function scanned(text, method) {
  const token = tokenFromScan(text);
  if (!token) return;
  await checkIn({ token, hash: await sha256(token), day: currentDay(), method });
}

// ---- the queue of offline scans -----------------------------------------------------------------
async function showQueue() {
  const waiting = (await queued(config.slug)).length;
  els.queue.textContent = waiting ? fill(S.queued, { n: waiting }) : "";
  return waiting;
}

async function sync() {
  if (syncing || !navigator.onLine) return;
  syncing = true;
  let sent = 0;
  try {
    for (const item of await queued(config.slug)) {
      const { status } = await send(item);
      if (status === 401 || status === 403) {
        els.queue.textContent = S.sessionEnded;
        return;
      }
      // Every other answer is final: the server has recorded the scan in its log.
      await dequeue(item.id);
      sent += 1;
      setOnline(true);
    }
    if (sent && await showQueue() === 0) {
      els.queue.textContent = S.synced;
      refreshRoster();
      refreshCounts();
    }
  } catch (error) {
    if (error instanceof OfflineError) setOnline(false);
  } finally {
    syncing = false;
  }
}

// ---- camera -------------------------------------------------------------------------------------
// A code in front of the camera counts once; it counts again only after it has been out of view.
let lastCode = null;
let lastSeen = 0;
const camera = new Camera(els.video, (text) => {
  const now = Date.now();
  if (!text) {
    if (now - lastSeen > 1000) lastCode = null;
    return;
  }
  const repeat = text === lastCode;
  lastCode = text;
  lastSeen = now;
  if (!repeat) scanned(text, "camera");
});

els.cameraToggle.addEventListener("click", async () => {
  unlockSound();
  if (camera.running) {
    camera.stop();
    els.cameraToggle.textContent = S.cameraOn;
    return;
  }
  try {
    await camera.start();
    els.cameraToggle.textContent = S.cameraOff;
  } catch (error) {
    camera.stop();
    show("bad", S.cameraFailed, null, "");
  }
});

// ---- handheld scanner: keystrokes and Enter, wherever the focus is not a text field -------------
let typed = "";
let lastKey = 0;
document.addEventListener("keydown", (event) => {
  unlockSound();
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select")) return;
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  const now = Date.now();
  if (now - lastKey > 500) typed = "";
  lastKey = now;
  if (event.key === "Enter") {
    if (typed.length >= 4) scanned(typed, "scanner");
    typed = "";
    event.preventDefault();
  } else if (event.key.length === 1) {
    typed += event.key;
  }
});

// ---- search by name or NIP ----------------------------------------------------------------------
function searchItem(person) {
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
    const tag = document.createElement("span");
    tag.className = "tag tag-bad";
    tag.textContent = S.cancelledShort;
    li.append(tag);
  } else if (person.checked_in_at) {
    const tag = document.createElement("span");
    tag.className = "tag tag-warn";
    tag.textContent = fill(S.presentAt, { time: clock(person.checked_in_at) });
    li.append(tag);
  } else {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-small";
    button.textContent = S.checkInButton;
    button.addEventListener("click", async () => {
      unlockSound();
      clearSearch();
      await checkIn({ registration: person.id, hash: null, day: currentDay(), method: "manual" });
    });
    li.append(button);
  }
  return li;
}

function clearSearch() {
  els.search.value = "";
  els.searchResults.replaceChildren();
  els.searchNote.hidden = true;
  els.search.blur();
}

async function search(text) {
  let people;
  els.searchNote.hidden = true;
  try {
    const url = `${config.urls.search}?q=${encodeURIComponent(text)}&day=${encodeURIComponent(currentDay())}`;
    const { status, data } = await call("GET", url);
    people = status === 200 ? data.results : [];
  } catch (error) {
    const needle = text.toLowerCase();
    const day = currentDay();
    people = roster.tickets.filter((ticket) => ticket.full_name.toLowerCase().includes(needle)).slice(0, 20)
      .map((ticket) => ({ ...ticket, checked_in_at: ticket.checked_in[day] || null }));
    els.searchNote.textContent = S.searchOffline;
    els.searchNote.hidden = false;
  }
  if (els.search.value.trim() !== text) return;  // a newer search is under way
  els.searchResults.replaceChildren(...people.map(searchItem));
  if (!people.length) {
    const li = document.createElement("li");
    li.className = "muted";
    li.textContent = S.noMatch;
    els.searchResults.append(li);
  }
}

let searchTimer = null;
els.search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  const text = els.search.value.trim();
  if (text.length < 2) {
    els.searchResults.replaceChildren();
    return;
  }
  searchTimer = setTimeout(() => search(text), 250);
});
els.searchForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = els.search.value.trim();
  // A handheld scanner typing into the search box is still a scan.
  if (TOKEN_LIKE.test(text) && !/\s/.test(text)) {
    clearSearch();
    scanned(text, "scanner");
  } else if (text.length >= 2) {
    search(text);
  }
});

// ---- settings remembered on this device ---------------------------------------------------------
els.device.value = localStorage.getItem(DEVICE_KEY) || "";
els.device.addEventListener("input", () => localStorage.setItem(DEVICE_KEY, els.device.value.trim()));
// A handheld scanner fired while the device name still has the focus types the ticket into it.
// Its keystrokes come faster than anyone types (a few ms apart; nobody types eight characters
// 60 ms apart or closer): a quick run of characters ended by Enter is a scan, and the device name
// goes back to what it was before the run. The events' own times, not the handler's clock: a busy
// page handles keys late, but their times are when they arrived.
const SCANNER_KEY_GAP_MS = 60;
let burst = { text: "", at: -Infinity, before: "" };
els.device.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    const { text, before } = burst;
    burst = { text: "", at: -Infinity, before: "" };
    els.device.blur();
    if (text.length >= 8) {
      els.device.value = before;
      localStorage.setItem(DEVICE_KEY, before.trim());
      scanned(text, "scanner");
    }
    return;
  }
  if (event.key.length !== 1 || event.ctrlKey || event.altKey || event.metaKey) return;
  const now = event.timeStamp;
  if (now - burst.at > SCANNER_KEY_GAP_MS) burst = { text: "", at: now, before: els.device.value };
  burst.text += event.key;
  burst.at = now;
});
els.day.addEventListener("change", () => {
  els.day.blur();
  refreshCounts();
});

// ---- start --------------------------------------------------------------------------------------
window.addEventListener("online", () => {
  setOnline(true);
  sync();
});
window.addEventListener("offline", () => setOnline(false));

async function start() {
  setOnline(navigator.onLine);
  const kept = await loadRoster(config.slug);
  if (kept) {
    roster = kept;
    indexRoster();
  }
  refreshCounts();
  await showQueue();
  if (navigator.onLine) {
    await sync();
    await refreshRoster();
  }
  setInterval(() => { sync(); }, 5000);
  setInterval(() => { if (navigator.onLine) refreshRoster(); }, 60000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.urls.serviceWorker, { scope: "/e/" }).catch(() => {});
  }
  if ("caches" in window && navigator.onLine) {
    caches.open("hadir-station-v1").then((cache) => cache.addAll([location.pathname, ...config.assets])).catch(() => {});
  }
  document.body.dataset.stationReady = "1";
}

start();
