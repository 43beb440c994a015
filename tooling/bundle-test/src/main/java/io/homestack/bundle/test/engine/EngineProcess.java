package io.homestack.bundle.test.engine;

import io.homestack.bundle.test.envtest.ManagedProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A long-running engine (collector, Jaeger) started for one test: ready once a URL answers 200, stopped on close. */
public final class EngineProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .proxy(HttpClient.Builder.NO_PROXY).build();

    private final ManagedProcess process;

    private EngineProcess(ManagedProcess process) {
        this.process = process;
    }

    /** Starts the command (output to {@code log}) and waits until {@code ready} answers 200, or fails with the log. */
    public static EngineProcess start(String name, List<String> command, Map<String, String> env, Path log, URI ready,
                                      Duration timeout) {
        EngineProcess engine = new EngineProcess(ManagedProcess.start(name, command, env, log));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!engine.process.alive()) {
                throw new IllegalStateException(name + " did not start: " + engine.process.report());
            }
            if (get(ready) == 200) {
                return engine;
            }
            sleep(200);
        }
        engine.close();
        throw new IllegalStateException(name + " did not answer " + ready + " within " + timeout.toSeconds() + " s: "
                + engine.process.report());
    }

    /** The status code of a GET, or -1 when nothing answers. */
    static int get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a GET that must answer 200. */
    public static String getText(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("GET " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: GET " + uri, e);
        }
    }

    public boolean alive() {
        return process.alive();
    }

    /** The state and the log's last lines, for failure messages. */
    public String report() {
        return process.report();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.terminate();
        process.awaitStop(10_000);
    }
}
