// Talking to the check-in API. The desk sends as a device (its Bearer token, kept in IndexedDB),
// so neither the page's CSRF token nor the cookie session has to outlive a restart. Only asking for
// that token uses the operator's session (and a CSRF token). Every answer teaches the desk the
// server's clock (its Date header): scans are stored in server time.
export class OfflineError extends Error {}

const pageCsrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

// offsetMs: server time minus this device's time, learned at every answer.
export const serverClock = { offsetMs: 0, known: false, listeners: [] };
export const serverNow = () => Date.now() + serverClock.offsetMs;

function learnClock(response, sentAt, receivedAt) {
  const date = Date.parse(response.headers.get("Date") || "");
  // A slow answer says little about the time it was written; the Date header has whole seconds.
  if (Number.isNaN(date) || receivedAt - sentAt > 5000) return;
  serverClock.offsetMs = date + 500 - (sentAt + receivedAt) / 2;
  serverClock.known = true;
  serverClock.listeners.forEach((listener) => listener(serverClock.offsetMs));
}

let deviceToken = null;
export const setDeviceToken = (token) => { deviceToken = token || null; };
export const hasDeviceToken = () => deviceToken !== null;

// { status, data (the JSON body or null), json } for any answer; OfflineError when none came.
// With `session`, the operator's cookie session and a CSRF token are sent instead of the Bearer.
export async function call(method, url, body, { timeoutMs = 8000, session = false, csrf, headers = {} } = {}) {
  if (!navigator.onLine) throw new OfflineError("navigator offline");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const sent = { Accept: "application/json", ...headers };
  if (body) sent["Content-Type"] = "application/json";
  const bearer = !session && deviceToken;
  if (bearer) sent.Authorization = `Bearer ${deviceToken}`;
  else sent["X-CSRFToken"] = csrf || pageCsrfToken();
  const sentAt = Date.now();
  let response;
  try {
    response = await fetch(url, {
      method, headers: sent, body: body ? JSON.stringify(body) : undefined,
      credentials: bearer ? "omit" : "same-origin", signal: controller.signal, cache: "no-store",
    });
  } catch (error) {
    throw new OfflineError(String(error));
  } finally {
    clearTimeout(timer);
  }
  learnClock(response, sentAt, Date.now());
  let data = null;
  if ((response.headers.get("Content-Type") || "").includes("application/json")) {
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
  }
  return { status: response.status, data, json: data !== null, redirected: response.redirected, headers: response.headers };
}

// A fresh CSRF token from the station page itself (the page on screen may come from the offline
// cache, with the token of a session that has ended): null when the page asks to sign in.
export async function freshCsrfToken(pageUrl) {
  if (!navigator.onLine) throw new OfflineError("navigator offline");
  let response;
  try {
    response = await fetch(pageUrl, { credentials: "same-origin", cache: "no-store" });
  } catch (error) {
    throw new OfflineError(String(error));
  }
  if (!response.ok || response.redirected) return null;
  const match = (await response.text()).match(/<meta name="csrf-token" content="([^"]+)"/);
  return match ? match[1] : null;
}
