// The station's memory on this device: the event's ticket copy, the queue of scans not yet sent,
// the "Perlu perhatian" list and the desk's own settings (its device token, the server's clock).
// IndexedDB survives reloads and restarts, and every tab of the station shares it.
const DB_NAME = "hadir-station";
const DB_VERSION = 2;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const has = (name) => db.objectStoreNames.contains(name);
      if (!has("rosters")) db.createObjectStore("rosters", { keyPath: "event" });
      if (!has("queue")) db.createObjectStore("queue", { keyPath: "id", autoIncrement: true }).createIndex("event", "event");
      if (!has("attention")) {
        db.createObjectStore("attention", { keyPath: "id", autoIncrement: true }).createIndex("event", "event");
      }
      if (!has("meta")) db.createObjectStore("meta", { keyPath: "key" });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab with a newer version of this page may need the database upgraded.
      db.onversionchange = () => db.close();
      resolve(db);
    };
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
export const requeue = (item) => run("queue", "readwrite", (store) => { store.put(item); });
export const dequeue = (id) => run("queue", "readwrite", (store) => { store.delete(id); });
export const queued = (event) => run("queue", "readonly", (store) => store.index("event").getAll(event));

export const noteAttention = (entry) => run("attention", "readwrite", (store) => store.add(entry));
export const dismissAttention = (id) => run("attention", "readwrite", (store) => { store.delete(id); });
export const attentionList = (event) => run("attention", "readonly", (store) => store.index("event").getAll(event));

export async function getSetting(key) {
  const found = await run("meta", "readonly", (store) => store.get(key));
  return found ? found.value : undefined;
}
export const setSetting = (key, value) => run("meta", "readwrite", (store) => { store.put({ key, value }); });
export const forgetSetting = (key) => run("meta", "readwrite", (store) => { store.delete(key); });

export async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// At logout: the copy of the tickets (names and OPDs) and the desk's device token leave the device;
// scans not yet sent (and the "Perlu perhatian" list) stay, and go out when someone opens the station again.
export async function forgetRosters() {
  await run("rosters", "readwrite", (store) => { store.clear(); });
  await forgetSetting("deviceToken");
}
