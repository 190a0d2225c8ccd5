// The check-in station: camera, handheld scanner and name search, one result at a time,
// online through the API and offline from the copy kept on this device.
import { call, OfflineError } from "./api.js";
import { Camera } from "./camera.js";
import { unlockSound } from "./feedback.js";
import { dequeue, enqueue, loadRoster, queued, saveRoster, sha256 } from "./offline.js";
import { clockIn, fill, ResultPanel } from "./results.js";
import { listenForScans, tokenFromScan } from "./scanner.js";
import { SearchBox } from "./search.js";

const config = JSON.parse(document.getElementById("station-config").textContent);
const S = config.strings;
const $ = (id) => document.getElementById(id);
const els = {
  day: $("day"), device: $("device"), net: $("net-status"), video: $("camera-video"),
  cameraToggle: $("camera-toggle"), queue: $("queue-status"), copy: $("copy-status"),
  present: $("count-present"), registered: $("count-registered"),
};
const DEVICE_KEY = "hadir.station.device";

let roster = { event: config.slug, tickets: [], generated_at: null };
let byHash = new Map();
let byId = new Map();
let online = navigator.onLine;
let syncing = false;

const clock = clockIn(config.timezone, config.locale);
const results = new ResultPanel(
  { panel: $("result"), title: $("result-title"), name: $("result-name"), org: $("result-org"), detail: $("result-detail") },
  S, clock,
);
// The event's date of a moment, as YYYY-MM-DD (en-CA writes dates that way).
const eventDate = new Intl.DateTimeFormat("en-CA", { timeZone: config.timezone });

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
    results.show("bad", S.chooseDay, null, "");
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
      results.show("bad", S.sessionEnded, null, "");
      return;
    }
    results.answer(data.result, data.participant, data.checked_in_at, false);
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
  results.answer(answer.result, answer.participant, answer.checked_in_at, true);
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
    results.show("bad", S.cameraFailed, null, "");
  }
});

// ---- handheld scanner, wherever the focus is (scanner.js) ----------------------------------------
listenForScans((text, field) => {
  unlockSound();
  if (field === els.device) {
    // Fired while the device name still had the focus: the name keeps what the operator typed.
    localStorage.setItem(DEVICE_KEY, els.device.value.trim());
    els.device.blur();
  } else if (field) {
    search.clear();
  }
  scanned(text, "scanner");
});
document.addEventListener("keydown", unlockSound);

// ---- search by name or NIP (search.js) ----------------------------------------------------------
const search = new SearchBox(
  { form: $("search-form"), input: $("search"), note: $("search-note"), list: $("search-results") },
  {
    url: config.urls.search, strings: S, clock, day: currentDay, tickets: () => roster.tickets,
    checkIn: (person) => {
      unlockSound();
      checkIn({ registration: person.id, hash: null, day: currentDay(), method: "manual" });
    },
  },
);

// ---- settings remembered on this device ---------------------------------------------------------
els.device.value = localStorage.getItem(DEVICE_KEY) || "";
els.device.addEventListener("input", () => localStorage.setItem(DEVICE_KEY, els.device.value.trim()));
els.device.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    els.device.blur();
  }
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
