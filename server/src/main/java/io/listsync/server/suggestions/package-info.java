/**
 * Suggestions: every name ever added to a list, counted in the change's own transaction, ranked by use.
 */
package io.listsync.server.suggestions;
