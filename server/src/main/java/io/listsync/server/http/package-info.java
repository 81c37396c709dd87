/**
 * What every REST request goes through: JSON bodies and their rules (text, numbers), problem+json errors, the
 * access log (secrets masked), deadlines for headers and bodies, security headers, and listener limits.
 */
package io.listsync.server.http;
