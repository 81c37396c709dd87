/**
 * The broker contract kit, shipped in this module's test-jar: extend
 * {@link io.listsync.broker.kit.ListEventBrokerContract} and supply a broker to check an implementation against every
 * guarantee of {@link io.listsync.broker.ListEventBroker}; {@link io.listsync.broker.kit.BrokerBenchmark} measures it.
 */
package io.listsync.broker.kit;
