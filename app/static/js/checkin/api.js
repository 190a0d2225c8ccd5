// Talking to the check-in API with the operator's session and the page's CSRF token.
// A request that gets no answer rejects with OfflineError: the caller then decides offline.
export class OfflineError extends Error {}

const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

export async function call(method, url, body, timeoutMs = 4000) {
  if (!navigator.onLine) throw new OfflineError("navigator offline");
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined,
      credentials: "same-origin",
      signal: controller.signal,
    });
  } catch (error) {
    throw new OfflineError(String(error));
  } finally {
    clearTimeout(timer);
  }
  // A proxy or a restarting server is as good as no network: keep the scan and retry later.
  if (response.status >= 500) throw new OfflineError(`HTTP ${response.status}`);
  let data = {};
  try {
    data = await response.json();
  } catch (error) {
    if (response.redirected || response.status === 200) throw new OfflineError("not JSON");
  }
  return { status: response.status, data };
}
