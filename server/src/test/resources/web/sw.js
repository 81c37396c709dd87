// a stand-in for the built service worker (web/dist/sw.js), so serving it is tested with or without -DskipWeb
self.addEventListener('fetch', () => {});
