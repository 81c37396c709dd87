package io.listsync.server.realtime;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closes are counted only by the codes in {@link CloseCodes#ALL} (their counters are registered at start: creating
 * one on a close deadlocked the server's stop), so a code added without it would close sockets uncounted.
 */
class CloseCodesTest {

    @Test
    @DisplayName("every close code the server defines is among those it counts")
    void allListsEveryCode() throws IllegalAccessException {
        List<Integer> defined = new ArrayList<>();
        for (Field field : CloseCodes.class.getFields()) {
            if (field.getType() == int.class && Modifier.isStatic(field.getModifiers())) {
                defined.add(field.getInt(null));
            }
        }
        assertThat(defined).isNotEmpty();
        assertThat(CloseCodes.ALL).containsExactlyInAnyOrderElementsOf(defined);
    }
}
