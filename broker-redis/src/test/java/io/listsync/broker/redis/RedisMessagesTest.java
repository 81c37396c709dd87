package io.listsync.broker.redis;

import io.listsync.broker.ListEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Redis channel names and messages")
class RedisMessagesTest {

    private final RedisMessages messages = new RedisMessages("listsync:list:");

    @Test
    @DisplayName("a list's channel is the prefix and the list id")
    void channelNames() {
        assertThat(messages.channel("42")).isEqualTo("listsync:list:42");
    }

    @Test
    @DisplayName("an event survives encoding, payload line breaks included")
    void roundTrip() {
        ListEvent event = new ListEvent("42", "item_created", 7, "{\"a\":\n\"b\"}\n");
        assertThat(messages.decode("listsync:list:42", messages.encode(event))).isEqualTo(event);
    }

    @Test
    @DisplayName("messages from other channels or in another format are not taken for events")
    void foreignMessages() {
        String valid = messages.encode(new ListEvent("42", "item_created", 7, "{}"));
        assertThat(messages.decode("other:42", valid)).isNull();
        assertThat(messages.decode("listsync:list:", valid)).isNull();
        assertThat(messages.decode("listsync:list:42", "hello")).isNull();
        assertThat(messages.decode("listsync:list:42", "1\nseven\nitem_created\n{}")).isNull();
        assertThat(messages.decode("listsync:list:42", "2\n7\nitem_created\n{}")).isNull();
    }

    @Test
    @DisplayName("an event type with a line break is refused rather than garbled")
    void typeWithLineBreak() {
        assertThatThrownBy(() -> messages.encode(new ListEvent("42", "a\nb", 1, "{}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
