package io.listsync.server.realtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Who a socket's client is, for the caps: the connection's own address, or, when the connection comes from a
 * trusted proxy ({@code realtime.trusted-proxies}, by default this machine), the nearest address in its
 * {@code X-Forwarded-For} that is not itself a trusted proxy. A connection from this machine's loopback without
 * that header is a local program (the operator's tools, a benchmark, a health probe), which no cap limits: anyone
 * who can open it can stop the server anyway.
 */
final class ClientAddresses {

    /** A client the caps do not limit. */
    static final String LOCAL = null;

    private final List<Block> trusted;

    /**
     * @param trustedProxies addresses ({@code 10.0.0.7}, {@code ::1}) or blocks ({@code 10.0.0.0/8}); literals only
     * @throws IllegalArgumentException for anything else
     */
    ClientAddresses(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(Block::parse).toList();
    }

    /**
     * @param peer         the connection's remote address
     * @param forwardedFor the request's {@code X-Forwarded-For} values, comma-joined, or {@code null}
     * @return the key the caps count under ({@link SocketCaps#addressKey}), or {@link #LOCAL}
     */
    String clientKey(SocketAddress peer, String forwardedFor) {
        InetAddress direct = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (direct == null || !isTrusted(direct)) {
            return SocketCaps.addressKey(peer);
        }
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return direct.isLoopbackAddress() ? LOCAL : SocketCaps.addressKey(peer);
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            InetAddress hop = literal(hops[i].strip());
            if (hop == null) {
                return "forwarded:" + hops[i].strip(); // a hop no proxy of ours wrote: count it as it is
            }
            if (!isTrusted(hop)) {
                return SocketCaps.addressKey(new InetSocketAddress(hop, 0));
            }
        }
        return SocketCaps.addressKey(peer); // every hop was one of our proxies
    }

    private boolean isTrusted(InetAddress address) {
        for (Block block : trusted) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IP literal (never a name: nothing here resolves DNS), or null. */
    static InetAddress literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.isEmpty() || !bare.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return null;
        }
        if (bare.indexOf(':') < 0 && !bare.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address block: an address and how many of its leading bits must match. */
    private record Block(byte[] prefix, int bits) {

        static Block parse(String text) {
            String[] parts = text.strip().split("/", 2);
            InetAddress address = literal(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("realtime.trusted-proxies: '" + text
                        + "' is not an IP address or block (like 10.0.0.0/8 or ::1)");
            }
            int max = address.getAddress().length * 8;
            int bits;
            try {
                bits = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("realtime.trusted-proxies: '" + text + "' has a bad prefix length");
            }
            return new Block(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            if (!Arrays.equals(bytes, 0, full, prefix, 0, full)) {
                return false;
            }
            int rest = bits % 8;
            return rest == 0 || ((bytes[full] ^ prefix[full]) & (0xFF << (8 - rest))) == 0;
        }
    }
}
