package io.listsync.server.support;

/**
 * Closing what a test class opened, in the order given (servers before their database), each even when an earlier
 * one fails: a teardown error must not hide the test's own result.
 */
public final class Teardown {

    private Teardown() {
    }

    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception ignored) {
                // best effort: the next one is closed all the same
            }
        }
    }
}
