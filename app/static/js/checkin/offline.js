// The station's memory on this device: the event's ticket copy and the queue of scans not yet sent.
// IndexedDB survives reloads and restarts, so nothing queued is lost.
const DB_NAME = "hadir-station";
const DB_VERSION = 1;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("rosters", { keyPath: "event" });
      db.createObjectStore("queue", { keyPath: "id", autoIncrement: true }).createIndex("event", "event");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let connection;
function db() {
  connection = connection || open();
  return connection;
}

async function run(storeName, mode, work) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const transaction = database.transaction(storeName, mode);
    const result = work(transaction.objectStore(storeName));
    transaction.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

export const saveRoster = (roster) => run("rosters", "readwrite", (store) => { store.put(roster); });
export const loadRoster = (event) => run("rosters", "readonly", (store) => store.get(event));

export const enqueue = (item) => run("queue", "readwrite", (store) => store.add(item));
export const dequeue = (id) => run("queue", "readwrite", (store) => { store.delete(id); });
export const queued = (event) => run("queue", "readonly", (store) => store.index("event").getAll(event));

export async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// At logout: the copy of the tickets (names and OPDs) leaves the device; scans not yet sent stay
// queued, and go out when someone opens the station again.
export const forgetRosters = () => run("rosters", "readwrite", (store) => { store.clear(); });
