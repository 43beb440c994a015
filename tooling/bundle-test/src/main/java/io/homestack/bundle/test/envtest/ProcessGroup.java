package io.homestack.bundle.test.envtest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The processes of one envtest cluster: launched with their logs in one directory, stopped in a safe order. */
public final class ProcessGroup {

    private final Path logDir;
    private final List<ManagedProcess> processes = new ArrayList<>();

    ProcessGroup(Path logDir) {
        this.logDir = logDir;
    }

    synchronized ManagedProcess launch(String name, List<String> command, Map<String, String> env) {
        ManagedProcess p = ManagedProcess.start(name, command, env, logDir.resolve(name + ".log"));
        processes.add(p);
        RunDirectory.recordPid(logDir.getParent(), p.pid());
        return p;
    }

    /**
     * Runs a one-shot command (what an init container does on a cluster) to its end, logged with the others; it is not
     * one of the group's long-running processes, so its exit is no failure of the cluster.
     *
     * @return the ended process (its exit code: {@link ManagedProcess#awaitExit}, again, returns it at once)
     */
    ManagedProcess runToEnd(String name, List<String> command, Map<String, String> env, long timeoutMillis) {
        ManagedProcess p = ManagedProcess.start(name, command, env, logDir.resolve(name + ".log"));
        RunDirectory.recordPid(logDir.getParent(), p.pid());
        p.awaitExit(timeoutMillis);
        return p;
    }

    synchronized Optional<ManagedProcess> find(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Fails naming the first process that has stopped (with its log's tail). */
    synchronized void failIfAnyStopped() {
        processes.stream().filter(p -> !p.alive()).findFirst().ifPresent(p -> {
            throw new IllegalStateException(p.name() + " stopped: " + p.report());
        });
    }

    synchronized List<Long> pids() {
        return processes.stream().map(ManagedProcess::pid).toList();
    }

    /**
     * Everything but etcd first (all asked at once, killed after 5 s), then etcd: an API server whose etcd is gone
     * hangs in its shutdown instead of finishing it.
     */
    synchronized void stopAll() {
        List<ManagedProcess> clients = processes.stream().filter(p -> !p.name().equals("etcd")).toList();
        List<ManagedProcess> etcd = processes.stream().filter(p -> p.name().equals("etcd")).toList();
        for (List<ManagedProcess> group : List.of(clients, etcd)) {
            group.forEach(ManagedProcess::terminate);
            CompletableFuture.allOf(group.stream().map(p -> CompletableFuture.runAsync(() -> p.awaitStop(5_000)))
                    .toArray(CompletableFuture[]::new)).join();
        }
        processes.clear();
    }
}
