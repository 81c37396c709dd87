package io.listsync.server.realtime;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry of this instance's list sockets: the joined sockets, and one {@link ListChannel} per watched list.
 * It only registers and unregisters, and never calls back into whoever registers (like Centrifuge's {@code Hub}):
 * joining is {@link ListJoin}'s, fan-out the channels'.
 */
final class ListHub {

    private final ConcurrentHashMap<String, ListChannel> channels = new ConcurrentHashMap<>();
    private final Set<ListSocket> sockets = ConcurrentHashMap.newKeySet();
    private final Function<String, ListChannel> newChannel;

    /** @param newChannel makes the channel of a list id */
    ListHub(Function<String, ListChannel> newChannel) {
        this.newChannel = newChannel;
    }

    /**
     * Adds the socket to its list's channel, making the channel if there is none or the one there is closed.
     *
     * @return the channel, which may not be open yet
     */
    ListChannel attach(ListSocket socket) {
        while (true) {
            ListChannel channel = channels.computeIfAbsent(socket.listId(), newChannel);
            if (channel.add(socket)) {
                socket.attached(channel);
                return channel;
            }
            channels.remove(socket.listId(), channel);
        }
    }

    /**
     * Takes the socket out of its channel.
     *
     * @return the channel when the socket was its last one (the channel is now closed and unregistered; the caller
     *         releases its subscription), else {@code null}
     */
    ListChannel detach(ListSocket socket) {
        ListChannel channel = socket.channel();
        if (channel != null && channel.remove(socket)) {
            channels.remove(channel.listId(), channel);
            return channel;
        }
        if (channel != null && channel.isClosed()) {
            channels.remove(channel.listId(), channel); // closed by itself (the list was deleted)
        }
        return null;
    }

    void joined(ListSocket socket) {
        sockets.add(socket);
    }

    void left(ListSocket socket) {
        sockets.remove(socket);
    }

    int openSockets() {
        return sockets.size();
    }

    int channelCount() {
        return channels.size();
    }

    List<ListChannel> channels() {
        return List.copyOf(channels.values());
    }

    List<ListSocket> sockets() {
        return List.copyOf(sockets);
    }
}
