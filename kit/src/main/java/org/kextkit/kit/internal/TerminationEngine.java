package org.kextkit.kit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * The termination sequence of {@code IOService::terminate}, shared by the hosted kernel and the
 * standalone registry so that a driver sees the same calls in the same order in both.
 *
 * <ol>
 *   <li>Phase 1 ({@link #phase1}, on the caller's thread): the service becomes inactive; every client
 *       of every victim gets {@code kIOMessageServiceIsTerminated}, and a client whose
 *       {@code requestTerminate} agrees (by default, one with no other provider) becomes a victim too.</li>
 *   <li>Phase 2 ({@link #phase2}): {@code willTerminate} on every client/provider link, root to leaf;
 *       then {@code didTerminate}, leaf to root. The base {@code didTerminate} lets the stop go ahead
 *       ({@link #scheduleStop}); a driver may defer it until its I/O is done.</li>
 *   <li>Stop and detach, leaf first: a client is stopped (and its opens of the provider closed, and
 *       it is detached) only once it has no client of its own left in the termination. A client
 *       that still has its provider open is first asked to close
 *       ({@code kIOMessageServiceIsRequestingClose}) and stopped when it does.</li>
 *   <li>A victim with no links left is finalized: {@link Hooks#finalized} tells the kernel, which
 *       drops its bookkeeping; detaching already dropped the registry's references.</li>
 * </ol>
 */
public final class TerminationEngine {
    /** How the engine reaches driver code and tells its kernel what happened. */
    public interface Hooks {
        /**
         * Run {@code body}, a call into {@code target}'s code named {@code method}; return false if it
         * threw, after reporting it. Must let {@link KernelPanic} through.
         */
        boolean call(IOService target, String method, Runnable body);

        /** Record that {@code service} has been terminated, stopped and detached from every provider. */
        void finalized(IOService service);
    }

    private enum EdgeState { WAITING_FOR_DID_TERMINATE, WAITING_FOR_CLOSE, READY }

    /** A client/provider link being torn down; identity of both ends. */
    private record Edge(IOService client, IOService provider) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Edge && ((Edge) o).client == client && ((Edge) o).provider == provider;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(client) * 31 + System.identityHashCode(provider);
        }
    }

    private final Hooks hooks;
    private final Object lock = new Object();
    private final Map<Edge, EdgeState> edges = new LinkedHashMap<>();
    private final Map<Edge, Integer> edgeOptions = new LinkedHashMap<>();
    private boolean processing;
    // While phase 2 runs its didTerminate round, stops wait: every didTerminate comes before any stop.
    private int notifying;

    /** Create an engine that calls drivers through {@code hooks}. */
    public TerminationEngine(Hooks hooks) {
        this.hooks = hooks;
    }

    /**
     * Run phase 1: refuse ({@code null}) if {@code service} is open and {@code kIOServiceRequired} is
     * not set; otherwise mark the victims inactive and return them, {@code service} first, each
     * before its clients. A service already inactive gives an empty list.
     */
    public List<IOService> phase1(IOService service, int options) {
        if (service.isInactive()) {
            return List.of();
        }
        if ((options & IOService.kIOServiceRequired) == 0 && service.isOpen(null)) {
            return null;
        }
        List<IOService> victims = new ArrayList<>();
        service.serviceState().inactive = true;
        victims.add(service);
        for (int i = 0; i < victims.size(); i++) {
            IOService victim = victims.get(i);
            for (IOService client : victim.getClients()) {
                hooks.call(client, "message", () -> client.message(IOService.kIOMessageServiceIsTerminated, victim, options));
                if (!client.isInactive()) {
                    boolean[] agrees = new boolean[1];
                    hooks.call(client, "requestTerminate", () -> agrees[0] = client.requestTerminate(victim, options));
                    if (agrees[0]) {
                        client.serviceState().inactive = true;
                        victims.add(client);
                    }
                }
            }
        }
        return victims;
    }

    /** Run phase 2 and, as far as no driver defers, the stops and detaches, for victims from {@link #phase1}. */
    public void phase2(List<IOService> victims, int options) {
        if (victims.isEmpty()) {
            return;
        }
        List<Edge> links = new ArrayList<>();
        IOService top = victims.get(0);
        for (IORegistryEntry parent : top.getParentEntries(IORegistryEntry.gIOServicePlane)) {
            if (parent instanceof IOService) {
                links.add(new Edge(top, (IOService) parent));
            }
        }
        for (IOService victim : victims) {
            for (IOService client : victim.getClients()) {
                Edge edge = new Edge(client, victim);
                if (!links.contains(edge)) {
                    links.add(edge);
                }
            }
        }
        synchronized (lock) {
            for (Edge edge : links) {
                if (edges.putIfAbsent(edge, EdgeState.WAITING_FOR_DID_TERMINATE) == null) {
                    edgeOptions.put(edge, options);
                }
            }
            notifying++;
        }
        for (Edge edge : links) {
            hooks.call(edge.client, "willTerminate", () -> edge.client.willTerminate(edge.provider, options));
        }
        for (int i = links.size() - 1; i >= 0; i--) {
            Edge edge = links.get(i);
            boolean[] defer = new boolean[1];
            if (!hooks.call(edge.client, "didTerminate", () -> edge.client.didTerminate(edge.provider, options, defer))) {
                // A didTerminate that throws must not wedge termination: go on as if it had not deferred.
                scheduleStop(edge.client, edge.provider);
            }
        }
        synchronized (lock) {
            notifying--;
        }
        processReady();
        for (IOService victim : victims) {
            finalizeIfDone(victim);
        }
    }

    /** Let the stop of {@code client} on {@code provider} go ahead (the base {@code didTerminate}). */
    public void scheduleStop(IOService client, IOService provider) {
        Edge edge = new Edge(client, provider);
        synchronized (lock) {
            if (edges.get(edge) != EdgeState.WAITING_FOR_DID_TERMINATE) {
                return;
            }
            edges.put(edge, EdgeState.WAITING_FOR_CLOSE);
        }
        if (provider.isOpen(client)) {
            hooks.call(client, "message",
                    () -> client.message(IOService.kIOMessageServiceIsRequestingClose, provider, null));
            boolean required;
            synchronized (lock) {
                required = (edgeOptions.getOrDefault(edge, 0) & IOService.kIOServiceRequired) != 0;
            }
            // Without kIOServiceRequired the stop waits for the client to close, as in I/O Kit; a
            // required termination goes on and closes on the client's behalf when it stops it.
            if (provider.isOpen(client) && !required) {
                return;
            }
        }
        markReady(edge);
    }

    /** Go on with a stop that waited for {@code client} to close {@code provider}. */
    public void closed(IOService provider, IOService client) {
        Edge edge = new Edge(client, provider);
        synchronized (lock) {
            if (edges.get(edge) != EdgeState.WAITING_FOR_CLOSE) {
                return;
            }
        }
        markReady(edge);
    }

    /** Return true while any termination waits for a driver (a deferred didTerminate or a close). */
    public boolean isBusy() {
        synchronized (lock) {
            return !edges.isEmpty();
        }
    }

    /** Return true while {@code service} has a link in a termination that has not finished. */
    public boolean isTerminating(IOService service) {
        synchronized (lock) {
            for (Edge edge : edges.keySet()) {
                if (edge.client == service || edge.provider == service) {
                    return true;
                }
            }
            return false;
        }
    }

    private void markReady(Edge edge) {
        synchronized (lock) {
            if (!edges.containsKey(edge)) {
                return;
            }
            edges.put(edge, EdgeState.READY);
        }
        processReady();
    }

    private void processReady() {
        synchronized (lock) {
            if (processing || notifying > 0) {
                return;
            }
            processing = true;
        }
        while (true) {
            Edge next;
            synchronized (lock) {
                next = nextReadyLeaf();
                if (next == null) {
                    processing = false;
                    return;
                }
                // Taken off the table before the calls, so a nested close or scheduleStop sees it gone.
                edges.remove(next);
                edgeOptions.remove(next);
            }
            stopAndDetach(next);
        }
    }

    /** Return the deepest ready link whose client has no link of its own still being torn down. */
    private Edge nextReadyLeaf() {
        List<Edge> all = new ArrayList<>(edges.keySet());
        for (int i = all.size() - 1; i >= 0; i--) {
            Edge edge = all.get(i);
            if (edges.get(edge) == EdgeState.READY && !hasPendingClients(edge.client)) {
                return edge;
            }
        }
        return null;
    }

    private boolean hasPendingClients(IOService service) {
        for (Edge edge : edges.keySet()) {
            if (edge.provider == service) {
                return true;
            }
        }
        return false;
    }

    private void stopAndDetach(Edge edge) {
        IOService client = edge.client;
        IOService provider = edge.provider;
        IOServiceState state = client.serviceState();
        // Nubs are stopped too (their stop does nothing); a driver only if its start succeeded.
        if (state == null || state.started || state.bundleIdentifier == null) {
            hooks.call(client, "stop", () -> client.stop(provider));
            if (state != null && client.isInactive()) {
                state.started = false;
            }
        }
        if (provider.isOpen(client)) {
            provider.close(client);
        }
        hooks.call(client, "detach", () -> client.detach(provider));
        if (client.getProvider() == provider) {
            // A detach override that forgot super.detach must not leave the link behind.
            client.detachFromParent(provider, IORegistryEntry.gIOServicePlane);
        }
        finalizeIfDone(client);
        finalizeIfDone(provider);
    }

    private void finalizeIfDone(IOService service) {
        IOServiceState state = service.serviceState();
        if (state == null || !service.isInactive() || state.finalized) {
            return;
        }
        synchronized (lock) {
            for (Edge edge : edges.keySet()) {
                if (edge.client == service || edge.provider == service) {
                    return;
                }
            }
        }
        if (!service.getParentEntries(IORegistryEntry.gIOServicePlane).isEmpty() && hasServiceProvider(service)) {
            // Still attached to a provider that is not terminating (a client with several providers).
            return;
        }
        state.finalized = true;
        // Leave the registry altogether: a top-level nub is still a child of the root entry.
        service.detachAll(IORegistryEntry.gIOServicePlane);
        hooks.finalized(service);
    }

    private static boolean hasServiceProvider(IOService service) {
        for (IORegistryEntry parent : service.getParentEntries(IORegistryEntry.gIOServicePlane)) {
            if (parent instanceof IOService) {
                return true;
            }
        }
        return false;
    }
}
