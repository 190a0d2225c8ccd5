// Which answers settle a scan (docs/api-checkin.md, "Yang dilakukan meja dengan sebuah jawaban").
// A scan leaves the device only with a final answer about it: recorded (201, 200), or one of the
// contract's refusals of that scan (404 unknown_ticket; 409 cancelled, not_event_day, future_day,
// transferred). Every other answer (any 400, 401, 403, 413, 429, 5xx, a page that is not the API's
// JSON, no answer at all) decides nothing: the scan stays queued and is sent again.
export const RECORDED = "recorded";
export const REFUSED = "refused";

const FINAL_REFUSALS = {
  404: ["unknown_ticket"],
  409: ["cancelled", "not_event_day", "future_day", "transferred"],
};
const RECORDED_RESULTS = ["checked_in", "already_checked_in"];

// RECORDED, REFUSED, or null (not decided: keep the scan).
export function settle(answer) {
  const result = answer.json ? answer.data.result : undefined;
  if ((answer.status === 201 || answer.status === 200) && RECORDED_RESULTS.includes(result)) return RECORDED;
  if ((FINAL_REFUSALS[answer.status] || []).includes(result)) return REFUSED;
  return null;
}

// Why a scan was not decided, as { key, status, message, everyScan }: `key` names the operator's
// words in the page's strings; `everyScan` says whether the next scans would fare the same (then the
// queue waits) or only this one (then the queue goes on with the others).
export function notDecided(answer) {
  if (!answer) return { key: "reasonOffline", everyScan: true };
  const { status } = answer;
  if (status === 401) return { key: "reasonSignIn", status, everyScan: true };
  if (status === 403) return { key: "reasonForbidden", status, everyScan: true };
  if (status === 429) return { key: "reasonBusy", status, everyScan: true };
  if (status >= 500) return { key: "reasonServer", status, everyScan: true };
  if (!answer.json) return { key: "reasonNotApi", status, everyScan: true };
  if (status === 413) return { key: "reasonTooLarge", status, everyScan: false };
  const errors = answer.data.errors || {};
  if (errors.scanned_at) return { key: "reasonTime", status, message: errors.scanned_at.join(" "), everyScan: false };
  const message = Object.values(errors).flat().join(" ");
  return { key: "reasonRefused", status, message, everyScan: status !== 400 };
}

// Seconds to wait before the n-th retry in a row: 5, 10, 20, 40, 80, then every 2 minutes.
export const backoffMs = (failures) => Math.min(5000 * 2 ** Math.max(0, failures - 1), 120000);
