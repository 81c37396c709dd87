/**
 * Settings: Helidon config from {@code application.yaml}, environment variables and system properties.
 */
package io.listsync.server.config;
