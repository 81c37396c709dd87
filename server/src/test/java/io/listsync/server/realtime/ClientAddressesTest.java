package io.listsync.server.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressesTest {

    private final ClientAddresses addresses = new ClientAddresses(List.of("127.0.0.0/8", "::1", "10.1.0.0/16"));

    @Test
    @DisplayName("the nearest forwarded hop that is not a trusted proxy is the client; names never resolve")
    void forwardedHops() {
        var proxy = new InetSocketAddress("10.1.2.3", 4000);
        assertThat(addresses.clientKey(proxy, "203.0.113.5")).isEqualTo("203.0.113.5");
        assertThat(addresses.clientKey(proxy, "198.51.100.1, 203.0.113.5, 10.1.9.9")).isEqualTo("203.0.113.5");
        assertThat(addresses.clientKey(proxy, "2001:db8:1:2:3:4:5:6")).isEqualTo("20010db800010002::/64");
        assertThat(addresses.clientKey(proxy, "[2001:db8::7]")).isEqualTo("20010db800000000::/64");
        assertThat(addresses.clientKey(proxy, "example.com")).isEqualTo("forwarded:example.com");
        assertThat(addresses.clientKey(proxy, "10.1.0.1")).isEqualTo("10.1.2.3"); // only our proxies: the proxy
        assertThat(addresses.clientKey(proxy, null)).isEqualTo("10.1.2.3"); // a proxy, but not this machine
    }

    @Test
    @DisplayName("loopback without X-Forwarded-For is local; a peer outside the trusted blocks is itself, whatever it forwards")
    void localAndUntrusted() {
        assertThat(addresses.clientKey(new InetSocketAddress("127.0.0.1", 1), null)).isNull();
        assertThat(addresses.clientKey(new InetSocketAddress("::1", 1), " ")).isNull();
        assertThat(addresses.clientKey(new InetSocketAddress("10.2.0.1", 1), "203.0.113.5")).isEqualTo("10.2.0.1");
        assertThat(new ClientAddresses(List.of()).clientKey(new InetSocketAddress("127.0.0.1", 1), null))
                .as("with no trusted proxy, loopback is capped too").isEqualTo("127.0.0.1");
    }

    @Test
    @DisplayName("a trusted proxy that is not an IP literal or block is a configuration error")
    void badSettings() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.local")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("realtime.trusted-proxies");
        assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
    }
}
