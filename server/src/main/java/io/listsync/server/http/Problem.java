package io.listsync.server.http;

/**
 * An RFC 9457 problem detail.
 *
 * @param type   a URI naming the kind of problem
 * @param title  a short, fixed summary of the kind
 * @param status the HTTP status
 * @param detail what exactly is wrong with this request, naming the field where there is one
 */
public record Problem(String type, String title, int status, String detail) {

    /** Problem types are documented in the README under this base. */
    public static final String TYPE_BASE = "https://listsync.io/problems/";
}
