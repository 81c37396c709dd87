package io.listsync.server.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Concurrent writers, as many users typing at once.
 */
public final class Writers {

    private Writers() {
    }

    /**
     * Creates {@code count} items at once, each request on its own virtual thread, spread round-robin over the
     * given instances' APIs; fails unless every one was created.
     */
    public static void createItemsConcurrently(List<Api> instances, Api.User user, String listId, int count) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Api api = instances.get(i % instances.size());
                String name = "item " + i;
                results.add(pool.submit(() -> api.post("/api/v1/lists/" + listId + "/items", user.token(),
                        Api.json(Map.of("name", name)))));
            }
            for (Future<Api.Response> result : results) {
                Api.Response response = result.get(60, TimeUnit.SECONDS);
                if (response.status() != 201) {
                    throw new AssertionError("write failed: " + response);
                }
            }
        } catch (Exception e) {
            throw new AssertionError("concurrent writes failed", e);
        }
    }
}
