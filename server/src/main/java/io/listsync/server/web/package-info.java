/**
 * Serves the built web app (its service worker and manifest uncached) with the single-page fallback.
 */
package io.listsync.server.web;
