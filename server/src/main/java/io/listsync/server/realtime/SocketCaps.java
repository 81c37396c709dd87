package io.listsync.server.realtime;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many sockets one user, and one client address, may hold open on this instance
 * ({@code realtime.max-sockets-per-user}, {@code realtime.max-sockets-per-address}; 0 = no cap). A socket over a
 * cap is closed with {@link CloseCodes#TRY_AGAIN_LATER}. IPv6 clients count per /64, the prefix one host can
 * rotate its addresses in. Behind a trusted proxy the client is the one its {@code X-Forwarded-For} names; a
 * local program is not capped ({@link ClientAddresses}).
 */
final class SocketCaps {

    /** One socket's place under a cap; its holder releases it once, when the socket's connection ends. */
    static final class Permit {
        private final Counts counts;
        private final String key;

        private Permit(Counts counts, String key) {
            this.counts = counts;
            this.key = key;
        }

        void release() {
            counts.release(key);
        }
    }

    private final Counts perUser;
    private final Counts perAddress;
    private final ClientAddresses clients;

    SocketCaps(int maxPerUser, int maxPerAddress, List<String> trustedProxies) {
        this.perUser = new Counts(maxPerUser);
        this.perAddress = new Counts(maxPerAddress);
        this.clients = new ClientAddresses(trustedProxies);
    }

    /** The client a connection counts as, or {@link ClientAddresses#LOCAL}. */
    String clientOf(SocketAddress peer, String forwardedFor) {
        return clients.clientKey(peer, forwardedFor);
    }

    /** A place for one more socket of this user, or null when the user is at the cap. */
    Permit admitUser(String userId, String client) {
        return client == ClientAddresses.LOCAL ? perUser.unlimited : perUser.acquire(userId);
    }

    /** A place for one more socket from this client, or null when the client is at the cap. */
    Permit admitAddress(String client) {
        return client == ClientAddresses.LOCAL ? perAddress.unlimited : perAddress.acquire(client);
    }

    static String addressKey(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            InetAddress ip = inet.getAddress();
            if (ip instanceof Inet6Address) {
                byte[] bytes = ip.getAddress();
                return HexFormat.of().formatHex(bytes, 0, 8) + "::/64";
            }
            return ip.getHostAddress();
        }
        return String.valueOf(address);
    }

    /** Open sockets per key, bounded; entries vanish at zero so idle keys cost nothing. */
    private static final class Counts {
        private final int max;
        private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
        private final Permit unlimited = new Permit(this, null);

        Counts(int max) {
            this.max = max;
        }

        Permit acquire(String key) {
            if (max <= 0) {
                return unlimited;
            }
            boolean[] admitted = {false};
            counts.compute(key, (k, n) -> {
                int count = n == null ? 0 : n;
                if (count >= max) {
                    return n;
                }
                admitted[0] = true;
                return count + 1;
            });
            return admitted[0] ? new Permit(this, key) : null;
        }

        void release(String key) {
            if (key != null) {
                counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
            }
        }
    }
}
