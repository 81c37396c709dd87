package io.listsync.server.invites;

import io.listsync.server.access.Role;

import java.time.Instant;

/**
 * An invite link as its list's owner sees it.
 *
 * @param code the code to put in the link; null only if it was sealed under a server secret that has since changed
 */
public record Invite(String id, String code, Role role, Instant expiresAt, int maxUses, int uses,
                     Instant createdAt) {

    /** What anyone holding the code may see before joining. */
    public record Preview(String listName, Role role, InvitedBy invitedBy, Instant expiresAt) {
    }

    public record InvitedBy(String displayName) {
    }
}
