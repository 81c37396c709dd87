package io.listsync.broker.redis;

import io.listsync.broker.ListEventBrokers;
import io.listsync.broker.kit.BrokerBenchmark;
import io.listsync.broker.spi.BrokerSettings;

import java.util.Map;

/**
 * Publish-to-listener latency and throughput of the Redis broker against the Redis on 127.0.0.1:6379 (publisher and
 * subscriber in one JVM, so every event makes the full round trip through Redis). Uses a channel prefix of its
 * own. Run with {@code mvn -B -pl broker-redis -am -Pbenchmark -DskipTests verify}.
 */
public final class RedisBrokerBenchmark {

    private RedisBrokerBenchmark() {
    }

    public static void main(String[] args) {
        String channelPrefix = "listsync:bench:" + ProcessHandle.current().pid() + ":";
        BrokerBenchmark.run("redis", () -> ListEventBrokers.create("redis", new BrokerSettings(Map.of(
                "uri", LocalRedis.URI, "channel-prefix", channelPrefix))), System.out);
    }
}
