package io.listsync.broker.redis;

import io.listsync.broker.BrokerException;
import io.listsync.broker.ListEvent;
import io.listsync.broker.kit.RecordingListener;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ACL users and TLS, each on a throw-away redis-server so the shared one stays untouched. */
@DisplayName("The Redis broker with ACL users and TLS")
class RedisBrokerSecurityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    @DisplayName("connects as an ACL user of a redis://user:password@ URI allowed only its channels and four commands")
    void aclUser() {
        String prefix = "listsync:acl:";
        try (ThrowawayRedis server = ThrowawayRedis.start(); LocalRedis admin = new LocalRedis(server.uri())) {
            // The least a broker needs: its channels, and the commands it sends (HELLO and AUTH are always allowed).
            admin.commands().aclSetuser("alice", AclSetuserArgs.Builder.on().addPassword("s3cret").resetChannels()
                    .channelPattern(prefix + "*").noCommands().addCommand(CommandType.SUBSCRIBE)
                    .addCommand(CommandType.UNSUBSCRIBE).addCommand(CommandType.PUBLISH)
                    .addCommand(CommandType.PING));
            String uri = "redis://alice:s3cret@127.0.0.1:" + server.port();

            try (RedisListEventBroker broker = RedisListEventBroker.start(LocalRedis.config(uri, prefix))) {
                RecordingListener listener = new RecordingListener();
                broker.subscribe("42", listener);
                ListEvent event = new ListEvent("42", "item_created", 1, "{}");
                assertThat(broker.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
                assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
                assertThat(admin.commands().clientList()).contains("name=" + broker.clientName("sub") + " ")
                        .containsPattern("name=" + broker.clientName("sub") + " .* user=alice ");
            }

            // a user allowed the heartbeat of another prefix but not its lists: the broker starts, the lists are refused
            admin.commands().aclSetuser("bob", AclSetuserArgs.Builder.on().addPassword("s3cret").resetChannels()
                    .channelPattern("elsewhere:~heartbeat:*").noCommands().addCommand(CommandType.SUBSCRIBE)
                    .addCommand(CommandType.UNSUBSCRIBE).addCommand(CommandType.PUBLISH)
                    .addCommand(CommandType.PING));
            String bob = "redis://bob:s3cret@127.0.0.1:" + server.port();
            try (RedisListEventBroker outside = RedisListEventBroker.start(LocalRedis.config(bob, "elsewhere:"))) {
                assertThatThrownBy(() -> outside.subscribe("42", event -> { }))
                        .isInstanceOf(BrokerException.class)
                        .hasMessageContaining("Redis refused to subscribe to the channel of list 42")
                        .hasMessageContaining("NOPERM");
                assertThat(outside.stats().subscriptions()).isZero();
                assertThat(outside.stats().subscribedLists()).isZero();
                assertThat(outside.publish(new ListEvent("42", "item_created", 1, "{}")).toCompletableFuture())
                        .failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                        .withCauseInstanceOf(BrokerException.class);
                assertThat(outside.stats().publishFailures()).isEqualTo(1);
            }

            // a user without the heartbeat channel cannot run a broker at all: refused at start-up, precisely
            assertThatThrownBy(() -> RedisListEventBroker.start(LocalRedis.config(uri, "elsewhere:")))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageContaining("refused the broker's heartbeat channel elsewhere:~heartbeat:")
                    .hasMessageContaining("NOPERM")
                    .hasMessageEndingWith("allow the channels of broker.redis.channel-prefix");

            assertThatThrownBy(() -> RedisListEventBroker.start(LocalRedis.config(
                    "redis://alice:wrong@127.0.0.1:" + server.port(), prefix)))
                    .isInstanceOf(BrokerException.class)
                    .hasMessageContaining("redis://alice:***@127.0.0.1")
                    .hasMessageNotContaining("wrong");
        }
    }

    @Test
    @DisplayName("connects over TLS with a rediss:// URI, and verifies the server certificate unless told not to")
    void tls(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSignedCertificate(cert, key);
        try (ThrowawayRedis server = ThrowawayRedis.startTls(cert, key, cert)) {
            assertThatThrownBy(() -> RedisListEventBroker.start(LocalRedis.config(server.uri(), "listsync:tls:")))
                    .as("a self-signed certificate is refused by default")
                    .isInstanceOf(BrokerException.class);

            String uri = server.uri() + "?verifyPeer=NONE";
            try (RedisListEventBroker broker = RedisListEventBroker.start(LocalRedis.config(uri, "listsync:tls:"))) {
                RecordingListener listener = new RecordingListener();
                broker.subscribe("42", listener);
                ListEvent event = new ListEvent("42", "item_created", 1, "{}");
                assertThat(broker.publish(event).toCompletableFuture()).succeedsWithin(TIMEOUT);
                assertThat(listener.awaitCount(1, TIMEOUT).events()).containsExactly(event);
                assertThat(broker.config().redisUri().isSsl()).isTrue();
            }
        }
    }

    private static void selfSignedCertificate(Path cert, Path key) throws IOException, InterruptedException {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(openssl.exitValue()).as("openssl exit code").isZero();
    }
}
