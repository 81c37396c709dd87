/**
 * Safe retries: the {@code Idempotency-Key} filter that remembers a write's answer in the write's own
 * transaction, replays it, refuses a reused key (422) or one in flight (409), and prunes old keys.
 */
package io.listsync.server.idempotency;
