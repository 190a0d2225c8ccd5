// Loaded on the page after a logout: a station used on this device forgets its ticket copy.
import { forgetRosters } from "./offline.js";

async function forget() {
  // Only where a station has been opened: no database is made for the others.
  const known = indexedDB.databases ? await indexedDB.databases() : [{ name: "hadir-station" }];
  if (known.some((database) => database.name === "hadir-station")) await forgetRosters();
  document.body.dataset.stationForgotten = "";
}

forget();
