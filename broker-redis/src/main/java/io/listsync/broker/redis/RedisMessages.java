package io.listsync.broker.redis;

import io.listsync.broker.ListEvent;

/**
 * Maps events to Redis channels and messages and back. The channel is {@code <prefix><listId>}; the message is
 * {@code 1\n<version>\n<type>\n<payload>}: a format number so the format can evolve, then the fields receivers need
 * without parsing the payload, which follows verbatim.
 */
final class RedisMessages {

    private static final String FORMAT = "1";

    private final String channelPrefix;

    RedisMessages(String channelPrefix) {
        this.channelPrefix = channelPrefix;
    }

    String channel(String listId) {
        return channelPrefix + listId;
    }

    /** The list a channel of this broker carries, or {@code null} for another channel. */
    String listId(String channel) {
        return channel.startsWith(channelPrefix) && channel.length() > channelPrefix.length()
                ? channel.substring(channelPrefix.length()) : null;
    }

    /**
     * @throws IllegalArgumentException when the type contains a line break, which the format cannot carry
     */
    String encode(ListEvent event) {
        if (event.type().indexOf('\n') >= 0) {
            throw new IllegalArgumentException("An event type must not contain a line break: " + event.type());
        }
        return FORMAT + '\n' + event.version() + '\n' + event.type() + '\n' + event.payload();
    }

    /**
     * @return the event, or {@code null} when the channel is not one of this broker's or the message is not in
     *         this format (someone else published on the channel)
     */
    ListEvent decode(String channel, String message) {
        if (!channel.startsWith(channelPrefix) || channel.length() == channelPrefix.length()) {
            return null;
        }
        int formatEnd = message.indexOf('\n');
        int versionEnd = formatEnd < 0 ? -1 : message.indexOf('\n', formatEnd + 1);
        int typeEnd = versionEnd < 0 ? -1 : message.indexOf('\n', versionEnd + 1);
        if (typeEnd < 0 || !message.startsWith(FORMAT + '\n')) {
            return null;
        }
        try {
            long version = Long.parseLong(message, formatEnd + 1, versionEnd, 10);
            return new ListEvent(channel.substring(channelPrefix.length()), message.substring(versionEnd + 1, typeEnd),
                    version, message.substring(typeEnd + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
