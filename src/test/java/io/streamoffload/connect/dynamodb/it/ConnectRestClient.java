package io.streamoffload.connect.dynamodb.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/** Talks to a Kafka Connect worker's REST API the way a user would: JSON over HTTP. */
public final class ConnectRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_FOR = Duration.ofSeconds(30);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ConnectRestClient(URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    }

    /** Creates or updates a connector with PUT /connectors/{name}/config. */
    public JsonNode putConnector(String name, Map<String, String> config) {
        return send("PUT", "connectors/" + name + "/config", config, 201, 200);
    }

    public void deleteConnector(String name) {
        send("DELETE", "connectors/" + name, null, 204, 404);
    }

    /** POST /connectors/{name}/tasks/{id}/restart. */
    public void restartTask(String name, int task) {
        send("POST", "connectors/" + name + "/tasks/" + task + "/restart", null, 204);
    }

    /** POST /connectors/{name}/restart?includeTasks=true: the connector and all its tasks. */
    public void restartConnectorAndTasks(String name) {
        send("POST", "connectors/" + name + "/restart?includeTasks=true&onlyFailed=false", null, 202, 204);
    }

    /** PUT /connectors/{name}/stop: its tasks shut down, its config stays (needed before its offsets can be reset). */
    public void stopConnector(String name) {
        send("PUT", "connectors/" + name + "/stop", null, 202, 204);
    }

    /** DELETE /connectors/{name}/offsets: a stopped sink connector's committed offsets are removed. */
    public void resetOffsets(String name) {
        send("DELETE", "connectors/" + name + "/offsets", null, 200);
    }

    /** PUT /connectors/{name}/resume. */
    public void resumeConnector(String name) {
        send("PUT", "connectors/" + name + "/resume", null, 202, 204);
    }

    /** GET /connectors/{name}/config: the connector's config as the worker returns it. */
    public JsonNode config(String name) {
        return send("GET", "connectors/" + name + "/config", null, 200);
    }

    /** GET /connectors/{name}/tasks: each task's config as the worker returns it. */
    public JsonNode tasks(String name) {
        return send("GET", "connectors/" + name + "/tasks", null, 200);
    }

    /** PUT /admin/loggers/{logger}: sets a logger's level on this worker. */
    public void setLogLevel(String logger, String level) {
        send("PUT", "admin/loggers/" + logger, Map.of("level", level), 200);
    }

    /** GET /connectors/{name}/status, or null while the connector is unknown. */
    public JsonNode status(String name) {
        return send("GET", "connectors/" + name + "/status", null, 200, 404);
    }

    /** Whether the connector and its first task report RUNNING. */
    public boolean isRunning(String name) {
        JsonNode status = status(name);
        return status != null && "RUNNING".equals(status.path("connector").path("state").asText())
                && status.path("tasks").size() > 0
                && "RUNNING".equals(status.path("tasks").get(0).path("state").asText());
    }

    /** Whether the connector and all of its {@code tasks} tasks report RUNNING. */
    public boolean allRunning(String name, int tasks) {
        JsonNode status = status(name);
        if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())
                || status.path("tasks").size() != tasks) {
            return false;
        }
        for (JsonNode task : status.path("tasks")) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The worker ids (host:port) running the connector's tasks. */
    public java.util.Set<String> taskWorkers(String name) {
        java.util.Set<String> workers = new java.util.TreeSet<>();
        status(name).path("tasks").forEach(task -> workers.add(task.path("worker_id").asText()));
        return workers;
    }

    /** PUT /connector-plugins/{class}/config/validate. */
    public JsonNode validate(String connectorClass, Map<String, String> config) {
        return send("PUT", "connector-plugins/" + connectorClass + "/config/validate", config, 200);
    }

    /** The error messages the validate endpoint attached to one setting. */
    public static java.util.List<String> errorsFor(JsonNode validation, String setting) {
        java.util.List<String> errors = new java.util.ArrayList<>();
        for (JsonNode config : validation.get("configs")) {
            if (setting.equals(config.path("value").path("name").asText())) {
                config.path("value").path("errors").forEach(e -> errors.add(e.asText()));
            }
        }
        return errors;
    }

    private static boolean isTransient(int status, int... expected) {
        for (int code : expected) {
            if (code == status) {
                return false;
            }
        }
        return status == 409 || status >= 500;
    }

    private JsonNode send(String method, String path, Object body, int... expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Accept", "application/json");
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            // a worker answers 409 while it rebalances (after each connector create or delete) and may answer 5xx
            // while busy: ask again for a while, as a user's tooling would
            AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            try {
                await().atMost(RETRY_FOR).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
                    last.set(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
                    return !isTransient(last.get().statusCode(), expected);
                });
            } catch (ConditionTimeoutException e) {
                // report the last answer below
            }
            HttpResponse<String> response = last.get();
            if (response == null) {
                throw new IllegalStateException(method + " " + path + " got no answer within " + RETRY_FOR);
            }
            for (int code : expected) {
                if (response.statusCode() == code) {
                    return response.statusCode() == 404 || response.body().isEmpty()
                            ? null : JSON.readTree(response.body());
                }
            }
            throw new IllegalStateException(method + " " + path + " returned HTTP " + response.statusCode() + ": "
                    + response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }
}
