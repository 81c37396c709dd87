/**
 * Where the server's log lines go: standard output, one line per record, written in batches off the request path.
 */
package io.listsync.server.logging;
