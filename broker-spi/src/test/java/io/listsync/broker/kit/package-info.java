/**
 * The broker contract kit, shipped in this module's test-jar: extend
 * {@link io.listsync.broker.kit.ListEventBrokerContract} and supply a broker to check an implementation against every
 * guarantee of {@link io.listsync.broker.ListEventBroker}; a networked broker also extends
 * {@link io.listsync.broker.kit.ListEventBrokerOutageContract} with hooks that take its server away and bring it back;
 * {@link io.listsync.broker.kit.BrokerBenchmark} measures it.
 */
package io.listsync.broker.kit;
