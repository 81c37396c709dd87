package io.listsync.server;

import io.helidon.logging.common.LogConfig;
import io.listsync.server.config.Settings;

/**
 * Starts ListSync from the command line: {@code java -jar server/target/listsync.jar}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        ListSyncServer server = ListSyncServer.start(Settings.load());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::close));
        System.getLogger(Main.class.getName()).log(System.Logger.Level.INFO,
                "ListSync is up on http://localhost:" + server.port());
    }
}
