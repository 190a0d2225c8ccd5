// The check-in station: camera, handheld scanner and name search, one result at a time,
// online through the API and offline from the copy kept on this device. A scan leaves this device
// only with a final answer about it (outcome.js); everything else keeps it queued and says why.
import { call, freshCsrfToken, OfflineError, serverClock, serverNow, setDeviceToken } from "./api.js";
import { Camera } from "./camera.js";
import { unlockSound } from "./feedback.js";
import {
  attentionList, dequeue, dismissAttention, enqueue, getSetting, loadRoster, noteAttention, queued, requeue,
  saveRoster, setSetting, sha256,
} from "./offline.js";
import { backoffMs, notDecided, RECORDED, REFUSED, settle } from "./outcome.js";
import { clockIn, fill, ResultPanel } from "./results.js";
import { listenForScans, tokenFromScan } from "./scanner.js";
import { SearchBox } from "./search.js";

const config = JSON.parse(document.getElementById("station-config").textContent);
const S = config.strings;
const $ = (id) => document.getElementById(id);
const els = {
  day: $("day"), dayWarning: $("day-warning"), clockWarning: $("clock-warning"), device: $("device"),
  net: $("net-status"), video: $("camera-video"), cameraToggle: $("camera-toggle"), queue: $("queue-status"),
  queueText: $("queue-text"), sendNow: $("send-now"), signIn: $("sign-in-again"), copy: $("copy-status"),
  present: $("count-present"), registered: $("count-registered"), attention: $("attention"),
  attentionList: $("attention-list"),
};
const DEVICE_KEY = "hadir.station.device";
const CLOCK_WARN_MS = 2 * 60 * 1000;
const LIVE_TIMEOUT_MS = 4000;
const SYNC_TIMEOUT_MS = 10000;

let roster = { event: config.slug, tickets: [], generated_at: null, days: null, version: null, etag: null };
let byHash = new Map();
let byId = new Map();
let online = navigator.onLine;

const clock = clockIn(config.timezone, config.locale);
const results = new ResultPanel(
  { panel: $("result"), title: $("result-title"), name: $("result-name"), org: $("result-org"), detail: $("result-detail") },
  S, clock,
);
// The event's date of a moment, as YYYY-MM-DD (en-CA writes dates that way).
const eventDate = new Intl.DateTimeFormat("en-CA", { timeZone: config.timezone });
const longDate = new Intl.DateTimeFormat(config.locale === "en" ? "en-GB" : "id-ID", {
  timeZone: "UTC", day: "numeric", month: "long", year: "numeric",
});
// Every tab of this station on this browser hears what the one that sends is doing.
const channel = "BroadcastChannel" in window ? new BroadcastChannel(`hadir-station-${config.slug}`) : null;

// ---- network state, counts and the offline copy -----------------------------------------------
// An answer that arrives after the browser went offline does not make the desk say "Online".
function setOnline(value) {
  value = value && navigator.onLine;
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

// The copy, whole the first time, then only what changed since its version (new, changed and
// cancelled registrations, new check-ins); an unchanged copy costs a 304 and no body. A 401 (the
// desk's token renewed while the request was on its way, as when the desk is named right after the
// page opens, or expired) is asked again at once with a new token, not a minute later.
async function refreshRoster(retried = false) {
  let url = config.urls.roster;
  const headers = {};
  if (roster.version && roster.etag && roster.tickets.length) {
    url += `?since=${encodeURIComponent(roster.version)}`;
    headers["If-None-Match"] = roster.etag;
  }
  let answer;
  try {
    answer = await call("GET", url, null, { timeoutMs: 120000, headers });
  } catch (error) {
    if (error instanceof OfflineError) setOnline(false);
    return;
  }
  setOnline(true);
  if (answer.status === 401) {
    if (await renewDeviceToken() && !retried) return refreshRoster(true);
    return;
  }
  if (answer.status === 304) {
    els.copy.textContent = fill(S.copyAge, { n: roster.tickets.length, time: clock(new Date(serverNow()).toISOString()) });
    return;
  }
  if (answer.status !== 200 || !answer.json) return;
  const data = answer.data;
  if (data.complete) {
    roster = { ...data, tickets: data.tickets };
  } else {
    const merged = new Map(roster.tickets.map((ticket) => [ticket.id, ticket]));
    for (const ticket of data.tickets) merged.set(ticket.id, ticket);
    roster = { ...data, tickets: [...merged.values()] };
  }
  roster.etag = answer.headers.get("ETag");
  // Scans still waiting to be sent are part of what this desk knows.
  for (const item of await queued(config.slug)) markPresent(item, item.scanned_at, false);
  indexRoster();
  renderDays();
  await saveRoster(roster);
}

function rosterEntry(item) {
  return item.hash ? byHash.get(item.hash) : byId.get(item.registration);
}

function markPresent(item, when, overwrite = true) {
  const entry = rosterEntry(item);
  if (entry && (overwrite || !entry.checked_in[item.day])) entry.checked_in[item.day] = when;
}

// ---- days: from the copy's event days and the server-corrected date, never from the page as rendered
let dayChosenByHand = false;

function eventDays() {
  if (roster.days && roster.days.length) return roster.days;
  return config.days.map((date, index) => ({ date, number: index + 1 }));
}

const todayDate = () => eventDate.format(new Date(serverNow()));

function renderDays() {
  const today = todayDate();
  const started = eventDays().filter((day) => day.date <= today);
  const isEventDay = started.some((day) => day.date === today);
  const current = els.day.value;
  let chosen = isEventDay ? today : "";
  if (dayChosenByHand && started.some((day) => day.date === current)) chosen = current;
  const options = [];
  if (!isEventDay) options.push(new Option(S.chooseDayOption, ""));
  for (const day of started) {
    const [, month, date] = day.date.split("-");
    options.push(new Option(fill(S.dayOption, { n: day.number, date: `${date}/${month}` }), day.date));
  }
  els.day.replaceChildren(...options);
  els.day.value = chosen;
  els.dayWarning.hidden = isEventDay;
  els.dayWarning.textContent = fill(S.notEventDay, { date: longDate.format(new Date(`${today}T00:00:00Z`)) });
  if (current !== chosen) refreshCounts();
}

function currentDay() {
  return els.day.value;
}

function showClock() {
  const off = Math.abs(serverClock.offsetMs);
  els.clockWarning.hidden = off <= CLOCK_WARN_MS;
  els.clockWarning.textContent = fill(S.clockOff, { minutes: Math.round(off / 60000) });
}

let clockSaved = 0;
serverClock.listeners.push((offsetMs) => {
  showClock();
  if (Date.now() - clockSaved > 60000) {
    clockSaved = Date.now();
    setSetting("clockOffset", offsetMs).catch(() => {});
  }
});

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
    const answer = await call("GET", url);
    if (answer.status === 200 && answer.json) {
      counts = answer.data;
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

// ---- the desk's own token (a Bearer, kept in IndexedDB) ------------------------------------------
let needsSignIn = false;
let renewal = Promise.resolve(false);

// One request at a time: the second replaces (and revokes) the token the first one gave.
function renewDeviceToken() {
  renewal = renewal.then(askDeviceToken, askDeviceToken);
  return renewal;
}

async function askDeviceToken() {
  const held = await getSetting("deviceToken");
  const body = { device: els.device.value.trim(), replaces: held || null };
  try {
    let answer = await call("POST", config.urls.deviceToken, body, { session: true });
    if (!(answer.status === 200 && answer.json)) {
      // The page may come from the offline cache with an old session's CSRF token: ask for a fresh one.
      const csrf = await freshCsrfToken(location.pathname);
      if (csrf) answer = await call("POST", config.urls.deviceToken, body, { session: true, csrf });
    }
    if (answer.status === 200 && answer.json && answer.data.token) {
      await setSetting("deviceToken", answer.data.token);
      setDeviceToken(answer.data.token);
      needsSignIn = false;
      return true;
    }
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    return false;
  }
  needsSignIn = true;
  return false;
}

// ---- checking in --------------------------------------------------------------------------------
function decideOffline(item) {
  const entry = rosterEntry(item);
  if (!entry) return { result: "not_in_copy" };
  const participant = { full_name: entry.full_name, organization: entry.organization, position: entry.position };
  if (entry.status === "transferred") return { result: "transferred" };
  if (entry.status !== "registered") return { result: "cancelled", participant };
  if (entry.checked_in[item.day]) {
    return { result: "already_checked_in", participant, checked_in_at: entry.checked_in[item.day] };
  }
  entry.checked_in[item.day] = item.scanned_at;
  return { result: "checked_in", participant, checked_in_at: item.scanned_at };
}

function send(item, timeoutMs, live = false) {
  const body = { day: item.day, device: item.device, method: item.method, event: item.event };
  // A past day chosen while offline is a late record, not a scan taken on that day: the server
  // would refuse a scan time on another date than the day (400), so it gets none and is marked late.
  if (!live && eventDate.format(new Date(item.scanned_at)) === item.day) body.scanned_at = item.scanned_at;
  const url = item.token
    ? config.urls.checkin
    : config.urls.manual.replace(/\/0\/checkins$/, `/${item.registration}/checkins`);
  return call("POST", url, item.token ? { ...body, token: item.token } : body, { timeoutMs });
}

async function checkIn(item) {
  if (!item.day) {
    results.show("bad", S.chooseDay, null, "");
    return;
  }
  item.event = config.slug;
  item.device = els.device.value.trim() || null;
  // In the server's time: this device's clock may be off (the offset is learned at every answer).
  item.scanned_at = new Date(serverNow()).toISOString();
  let answer = null;
  // After a failed request, decide offline at once (no wait for a timeout per person) until
  // the background sync or count refresh reaches the server again.
  if (online) {
    try {
      answer = await send(item, LIVE_TIMEOUT_MS, true);
      if (answer.status === 401 && await renewDeviceToken()) {
        // The token was renewed on the way (the desk named as the page opened): once more, with the new one.
        answer = await send(item, LIVE_TIMEOUT_MS, true);
      }
      setOnline(true);
    } catch (error) {
      if (!(error instanceof OfflineError)) throw error;
      setOnline(false);
    }
  }
  if (answer && settle(answer)) {
    const { data } = answer;
    results.answer(data.result, data.participant, data.checked_in_at, false, { late: Boolean(data.recorded_late_at) });
    if (data.participant && data.checked_in_at) {
      markPresent({ ...item, hash: null, registration: data.participant.id }, data.checked_in_at);
      saveRoster(roster);
    }
    refreshCounts();
    return;
  }
  const why = answer ? notDecided(answer) : null;
  if (answer && answer.status === 401) renewDeviceToken().then(() => sync(true));
  await keepOnDevice(item, why);
}

// Not decided by the server (no network, or an answer that decides nothing): queued before anything
// is shown, so a reload or a flat battery loses nothing, and decided from the copy meanwhile.
async function keepOnDevice(item, why) {
  const answer = decideOffline(item);
  if (answer.result === "not_in_copy") item.notInCopy = true;
  await enqueue(item);
  const detail = why ? `${S.keptOnDevice} ${reasonText(why)}` : S.recordedOffline;
  results.answer(answer.result, answer.participant, answer.checked_in_at, true, { detail });
  await saveRoster(roster);
  const counts = localCounts();
  els.present.textContent = counts.present;
  els.registered.textContent = counts.registered;
  if (why) status.reason = why;
  await showQueue();
  announce();
}

async function scanned(text, method) {
  const token = tokenFromScan(text);
  if (!token) return;
  await checkIn({ token, hash: await sha256(token), day: currentDay(), method });
}

// ---- "Perlu perhatian": final refusals of queued scans, and the outcome of scans the copy did not know
async function renderAttention() {
  const entries = await attentionList(config.slug);
  els.attention.hidden = entries.length === 0;
  els.attentionList.replaceChildren(...entries.map((entry) => {
    const li = document.createElement("li");
    li.className = `attention-item attention-${entry.kind}`;
    const who = document.createElement("strong");
    who.textContent = entry.name || S.nameUnknown;
    const when = document.createElement("span");
    when.className = "muted";
    when.textContent = `${clock(entry.at)} · ${entry.device || "–"} · ${fill(S.dayOption, { n: entry.dayNumber || "?", date: entry.day.slice(8, 10) + "/" + entry.day.slice(5, 7) })}`;
    const why = document.createElement("span");
    why.textContent = entry.text;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "btn btn-small";
    dismiss.textContent = S.dismiss;
    dismiss.addEventListener("click", async () => {
      await dismissAttention(entry.id);
      await renderAttention();
      announce();
    });
    li.append(who, when, why, dismiss);
    return li;
  }));
}

function dayNumber(date) {
  return eventDays().find((day) => day.date === date)?.number;
}

async function noteOutcome(item, answer, decided) {
  const { data } = answer;
  // A ticket handed over names nobody: neither its old holder nor the colleague.
  const name = data.result === "transferred" ? null : data.participant?.full_name || rosterEntry(item)?.full_name || null;
  const base = { event: config.slug, at: item.scanned_at, device: item.device, day: item.day, dayNumber: dayNumber(item.day), name };
  if (decided === REFUSED) {
    await noteAttention({ ...base, kind: "refused", result: data.result, text: S[data.result] || data.result });
  } else if (item.notInCopy) {
    const what = data.recorded_late_at ? S.recordedLate : S[data.result];
    await noteAttention({ ...base, kind: "recorded", result: data.result, text: fill(S.recordedAfterSync, { result: what }) });
  }
}

// ---- the queue of scans not yet sent: one tab sends it (Web Locks), every tab shows the same ----
const status = { sending: null, reason: null, retryAt: 0, failures: 0, synced: false };

function reasonText(why) {
  return fill(S[why.key] || S.reasonRefused, { status: why.status || "", message: why.message || "" }).trim();
}

async function showQueue(broadcast = null) {
  const waiting = (await queued(config.slug)).length;
  const state = broadcast || { ...status, waiting, needsSignIn };
  let text = "";
  if (state.sending) text = fill(S.sending, state.sending);
  else if (state.waiting) {
    text = fill(S.queued, { n: state.waiting });
    if (state.reason) text += ` ${reasonText(state.reason)}`;
    if (state.retryAt > Date.now()) text += ` ${fill(S.retryAt, { time: clock(new Date(state.retryAt).toISOString()) })}`;
  } else if (state.synced) text = S.synced;
  els.queueText.textContent = text;
  els.sendNow.hidden = !(state.waiting && !state.sending);
  els.signIn.hidden = !(state.needsSignIn && state.waiting);
  return state;
}

function announce() {
  if (channel) channel.postMessage({ type: "changed" });
}

async function publish() {
  const state = await showQueue();
  if (channel) channel.postMessage({ type: "status", state });
}

if (channel) {
  channel.onmessage = (event) => {
    if (event.data.type === "status") {
      showQueue(event.data.state);
      renderAttention();
    } else {
      showQueue();
      renderAttention();
    }
  };
}

async function sync(now = false) {
  if (!navigator.onLine || (!now && Date.now() < status.retryAt)) return;
  if (navigator.locks) {
    await navigator.locks.request(`hadir-sync-${config.slug}`, { ifAvailable: true }, async (lock) => {
      if (lock) await drain(now);
    });
  } else {
    await drain(now);
  }
}

async function drain(now) {
  const items = await queued(config.slug);
  if (!items.length) return;
  const total = items.length;
  let done = 0;
  // "Mengirim …" from the first scan the server has settled: a round that fails at once leaves the
  // reason on screen, not a flash of "sending".
  status.synced = false;
  let stopped = false;
  for (const item of items) {
    if (!now && item.retryAt && item.retryAt > Date.now()) continue;
    let answer = null;
    try {
      answer = await send(item, SYNC_TIMEOUT_MS);
      setOnline(true);
    } catch (error) {
      if (!(error instanceof OfflineError)) throw error;
      setOnline(false);
    }
    const decided = answer && settle(answer);
    if (decided) {
      await dequeue(item.id);
      if (decided === RECORDED && answer.data.checked_in_at) markPresent(item, answer.data.checked_in_at);
      await noteOutcome(item, answer, decided);
      done += 1;
      status.sending = { done, total };
      status.failures = 0;
      status.reason = null;
      if (done === 1 || done % 10 === 0 || done === total) await publish();
      continue;
    }
    const why = notDecided(answer);
    if (answer && answer.status === 401 && await renewDeviceToken()) {
      status.retryAt = 0;  // a new token: the next round sends at once
      stopped = true;
      break;
    }
    if (why.everyScan) {
      // The same would happen to every scan now: wait, then try again.
      status.failures += 1;
      status.reason = why;
      status.retryAt = Date.now() + backoffMs(status.failures);
      stopped = true;
      break;
    }
    // Only this scan is refused: it stays, waits on its own, and the others go on.
    item.failures = (item.failures || 0) + 1;
    item.retryAt = Date.now() + backoffMs(item.failures);
    status.reason = why;
    if (why.key === "reasonTime" && !item.flagged) {
      item.flagged = true;
      await noteAttention({
        event: config.slug, kind: "waiting", at: item.scanned_at, device: item.device, day: item.day,
        dayNumber: dayNumber(item.day), name: rosterEntry(item)?.full_name || null, text: `${S.keptOnDevice} ${reasonText(why)}`,
      });
    }
    await requeue(item);
  }
  status.sending = null;
  const left = (await queued(config.slug)).length;
  status.synced = left === 0;
  if (!left) {
    status.reason = null;
    status.retryAt = 0;
  }
  if (!stopped && left) {
    status.retryAt = Math.min(...(await queued(config.slug)).map((item) => item.retryAt || Date.now()));
  }
  saveRoster(roster);
  await publish();
  await renderAttention();
  if (done) refreshCounts();
  if (stopped && status.retryAt === 0) setTimeout(() => sync(true), 0);
}

// ---- camera (the decoder is loaded when the camera is switched on) -------------------------------
// A code in front of the camera counts once; it counts again only after it has been out of view.
let lastCode = null;
let lastSeen = 0;
const camera = new Camera(els.video, config.urls.decoder, (text) => {
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
// The desk's token is named after the desk: a new name, a new token (the old one is revoked).
els.device.addEventListener("change", () => { if (navigator.onLine) renewDeviceToken(); });
els.device.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    event.preventDefault();
    els.device.blur();
  }
});
els.day.addEventListener("change", () => {
  els.day.blur();
  dayChosenByHand = els.day.value !== todayDate();
  refreshCounts();
});
els.sendNow.addEventListener("click", () => sync(true));

// ---- start --------------------------------------------------------------------------------------
window.addEventListener("online", () => {
  setOnline(true);
  sync(true);
});
window.addEventListener("offline", () => setOnline(false));

async function start() {
  setOnline(navigator.onLine);
  const offset = await getSetting("clockOffset");
  if (typeof offset === "number" && !serverClock.known) serverClock.offsetMs = offset;
  showClock();
  const token = await getSetting("deviceToken");
  if (token) setDeviceToken(token);
  const kept = await loadRoster(config.slug);
  if (kept) {
    roster = kept;
    indexRoster();
  }
  renderDays();
  await showQueue();
  await renderAttention();
  // Usable now: the scanner field, the search and the copy on this device work from here on.
  document.body.dataset.stationReady = "1";
  refreshCounts();
  if (navigator.onLine) {
    if (!token) await renewDeviceToken();
    await sync(true);
    await refreshRoster();
  }
  setInterval(() => { sync(); }, 5000);
  setInterval(() => { if (navigator.onLine) refreshRoster(); }, 60000);
  setInterval(renderDays, 30000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.urls.serviceWorker, { scope: "/e/" }).catch(() => {});
  }
  keepForOffline();
}

// The page and its assets in the service worker's cache, for a start without a network: the assets
// one by one, the page last, so that a cached page means its assets are there too. One at a time and
// not cache.addAll(): the worker caches the same assets as they pass, and a batch racing those puts
// could be undone whole (seen on a loaded machine: an empty cache, the desk unable to start offline).
// A failure is tried again a minute later.
async function keepForOffline() {
  if (!("caches" in window) || !navigator.onLine) return;
  try {
    const cache = await caches.open("hadir-station-v1");
    for (const url of [...config.assets, location.pathname]) {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
      if (!response.ok || response.redirected) throw new Error(`${url}: ${response.status}`);
      await cache.put(url, response);
    }
    // Ready for a start without a network once the worker that serves the cache is active too.
    if ("serviceWorker" in navigator) await navigator.serviceWorker.ready;
    document.body.dataset.offlineReady = "1";
  } catch (error) {
    setTimeout(keepForOffline, 60000);
  }
}

start();
