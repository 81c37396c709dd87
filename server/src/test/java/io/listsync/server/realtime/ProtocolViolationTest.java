package io.listsync.server.realtime;

import io.listsync.server.support.Api;
import io.listsync.server.support.Api.User;
import io.listsync.server.support.Await;
import io.listsync.server.support.RawWebSocket;
import io.listsync.server.support.RawWebSocket.Frame;
import io.listsync.server.support.TestDatabases;
import io.listsync.server.support.TestServer;
import io.listsync.server.support.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.listsync.server.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written frames over a raw TCP socket: every violation of RFC 6455 closes that socket with 1002 and a short
 * reason (never an HTTP response inside the socket, never an internal error text), and touches no other socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolViolationTest {

    private static final String PING = "{\"type\":\"ping\"}";

    private TestDatabases.TestDatabase database;
    private TestServer server;
    private Api api;
    private User owner;
    private String listId;

    @BeforeAll
    void start() {
        database = TestDatabases.h2();
        server = TestServer.start(database.settings());
        api = server.api();
        owner = api.register();
        listId = api.createList(owner, "Frames");
    }

    @AfterAll
    void stop() {
        server.close();
        database.close();
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x3, 0x7, 0xB, 0xF})
    @DisplayName("a reserved opcode closes with 1002, not with an HTTP 500 written into the socket")
    void reservedOpcode(int opCode) {
        assertProtocolError(ws -> ws.sendFrame(0x80 | opCode, "x".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    @DisplayName("a close frame with a one-byte payload gets 1002, not 1011 with an internal error text")
    void oneByteClose() {
        assertProtocolError(ws -> ws.sendFrame(0x88, new byte[] {3}));
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x8, 0x9, 0xA})
    @DisplayName("a control frame over 125 bytes closes with 1002")
    void oversizedControlFrame(int opCode) {
        byte[] payload = new byte[126];
        if (opCode == 0x8) {
            payload[0] = 0x03; // 1000
            payload[1] = (byte) 0xE8;
        }
        assertProtocolError(ws -> ws.sendFrame(0x80 | opCode, payload));
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {0x8, 0x9, 0xA})
    @DisplayName("a fragmented control frame closes with 1002")
    void fragmentedControlFrame(int opCode) {
        assertProtocolError(ws -> ws.sendFrame(opCode, opCode == 0x8 ? new byte[] {0x03, (byte) 0xE8} : new byte[0]));
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2000, 5000})
    @DisplayName("a close frame with a code no endpoint may send gets 1002")
    void invalidCloseCode(int code) {
        assertProtocolError(ws -> ws.sendClose(code, "bye"));
    }

    @Test
    @DisplayName("a new text message inside a fragmented one closes with 1002")
    void messageInsideFragmentedMessage() {
        assertProtocolError(ws -> {
            ws.sendFrame(0x01, "{\"type\":".getBytes(StandardCharsets.UTF_8));
            ws.sendText(PING);
        });
    }

    @Test
    @DisplayName("frames before a violation in the same write are handled first: a close, then garbage, gets the normal reply")
    void validFramesFirst() {
        try (RawWebSocket ws = joined()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(maskedFrame(0x88, new byte[] {0x03, (byte) 0xE8})); // close 1000
            bytes.writeBytes(maskedFrame(0x83, new byte[0]));                     // reserved opcode
            ws.sendRaw(bytes.toByteArray());
            Frame close = ws.awaitClose(Duration.ofSeconds(10));
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(ws.awaitEnd(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    @DisplayName("well-formed frames still work: a fragmented text message, a protocol ping, a client close")
    void wellFormedFrames() {
        try (RawWebSocket ws = joined()) {
            ws.sendFrame(0x01, "{\"type\":".getBytes(StandardCharsets.UTF_8));
            ws.sendFrame(0x89, "are you there".getBytes(StandardCharsets.UTF_8)); // control frames may interleave
            ws.sendFrame(0x80, "\"ping\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(ws.nextMessage().text()).isEqualTo("{\"type\":\"pong\"}");
            ws.sendClose(4000, "done");
            Frame close = ws.awaitClose(Duration.ofSeconds(10));
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(ws.awaitEnd(Duration.ofSeconds(10))).isTrue();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private interface Violation {
        void send(RawWebSocket ws);
    }

    /** The violating socket gets 1002 with a plain reason and is gone; a bystander on the list carries on. */
    private void assertProtocolError(Violation violation) {
        try (WsClient bystander = WsClient.connect(server, listId, "token=" + owner.token());
             RawWebSocket ws = joined()) {
            assertThat(bystander.next().get("type").asText()).isEqualTo("hello");
            Await.until(() -> server.app().hub().openSockets() == 2, Duration.ofSeconds(10));
            violation.send(ws);
            Frame close = ws.awaitClose(Duration.ofSeconds(10));
            assertThat(close).as("a close frame").isNotNull();
            assertThat(close.closeCode()).isEqualTo(1002);
            assertThat(close.closeReason()).isNotBlank().doesNotContain("Exception", "java.", "null");
            assertThat(ws.awaitEnd(Duration.ofSeconds(10))).as("the connection ends").isTrue();
            Await.until(() -> server.app().hub().openSockets() == 1, Duration.ofSeconds(10));

            assertThat(api.post("/api/v1/lists/" + listId + "/items", owner.token(),
                    json(java.util.Map.of("name", "still fine"))).status()).isEqualTo(201);
            assertThat(bystander.nextEvent().get("type").asText()).isEqualTo("item_created");
        }
        Await.until(() -> server.app().hub().openSockets() == 0, Duration.ofSeconds(10));
    }

    /** A raw socket that has joined the list (its hello read). */
    private RawWebSocket joined() {
        RawWebSocket ws = RawWebSocket.open(server.port(), listId, "token=" + owner.token());
        assertThat(ws.nextMessage().text()).contains("\"type\":\"hello\"");
        return ws;
    }

    private static byte[] maskedFrame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        frame.write(0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
