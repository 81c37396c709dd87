package io.listsync.server.access;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in a list. Owners do everything; editors change items, categories and the name; viewers read.
 */
public enum Role {
    OWNER, EDITOR, VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String toJson() {
        return wireName();
    }

    public boolean canEdit() {
        return this != VIEWER;
    }

    public static Role fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Parses a role a caller may grant: editor or viewer. */
    public static Optional<Role> grantable(String name) {
        return switch (name) {
            case "editor" -> Optional.of(EDITOR);
            case "viewer" -> Optional.of(VIEWER);
            default -> Optional.empty();
        };
    }
}
