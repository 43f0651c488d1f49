/* What the desk keeps on the device, in IndexedDB: the scans waiting to be sent, the list of valid codes
 * (salted hashes) and the last known counts per event. IndexedDB, not localStorage, so the queue survives a crashed tab or a restarted
 * tablet and the service worker's page can find it again; logging out deletes the database. */
(function () {
  "use strict";

  const NAME = "eventapp-desk";
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(NAME, 2);
        request.onupgradeneeded = (change) => {
          const db = request.result;
          if (change.oldVersion < 1) {
            const queue = db.createObjectStore("queue", { keyPath: "scan_id" });
            queue.createIndex("event", "event");
            db.createObjectStore("lists", { keyPath: "event" });
          }
          // Version 2: the last counts the server gave, with their time, shown while the desk is offline.
          if (change.oldVersion < 2) db.createObjectStore("counts", { keyPath: "event" });
        };
        request.onsuccess = () => {
          // Another tab deleting the database (a logout) must not wait for this one.
          request.result.onversionchange = () => { request.result.close(); opening = null; };
          resolve(request.result);
        };
        request.onerror = () => reject(request.error);
      });
    }
    return opening;
  }

  /** Run `work(store)` in one transaction; resolves with what the last request returned. */
  async function run(storeName, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(storeName, mode);
      const request = work(transaction.objectStore(storeName));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  async function queued(event) {
    const scans = await run("queue", "readonly", (store) => store.index("event").getAll(event));
    return scans.sort((a, b) => a.scanned_at.localeCompare(b.scanned_at));
  }

  /** Scans queued by an older version of the page in localStorage move over once. */
  async function adoptLocalQueue(event) {
    const key = `eventapp.queue.${event}`;
    let old = [];
    try { old = JSON.parse(localStorage.getItem(key)) || []; } catch (error) { old = []; }
    for (const scan of old) await run("queue", "readwrite", (store) => store.put({ ...scan, event }));
    localStorage.removeItem(key);
    localStorage.removeItem(`eventapp.offline.${event}`);
  }

  async function forget() {
    if (opening) (await opening).close();
    opening = null;
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(NAME);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }

  window.DeskStore = {
    NAME,
    queued,
    adoptLocalQueue,
    forget,
    enqueue: (scan) => run("queue", "readwrite", (store) => store.put(scan)),
    dequeue: (scanId) => run("queue", "readwrite", (store) => store.delete(scanId)),
    list: (event) => run("lists", "readonly", (store) => store.get(event)),
    saveList: (list) => run("lists", "readwrite", (store) => store.put(list)),
    counts: (event) => run("counts", "readonly", (store) => store.get(event)),
    saveCounts: (counts) => run("counts", "readwrite", (store) => store.put(counts)),
  };
})();
