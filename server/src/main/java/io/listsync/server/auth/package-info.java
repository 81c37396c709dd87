/**
 * Accounts and sessions: registration and login (bcrypt), short-lived signed access tokens (HS256, remembered
 * once verified), single-use refresh tokens in families, rate limits per address and account, and {@link
 * io.listsync.server.auth.SecretBox} for what must be stored sealed (invite codes, invite answers).
 */
package io.listsync.server.auth;
