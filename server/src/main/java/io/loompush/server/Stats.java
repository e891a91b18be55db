package io.loompush.server;

import io.loompush.server.http.Json;

/**
 * One reading of the server's figures, as /stats JSON or /metrics text.
 *
 * @param sse            open Server-Sent Events streams
 * @param ws             open WebSockets
 * @param connectionThreads the connections' virtual threads alive now, counted as they start and end
 * @param uptimeMillis   the JVM's uptime: the clock the dashboard's rates are measured by
 * @param brokerJson     the broker's own figures as a JSON object (Redis), or null
 */
record Stats(long uptimeMillis, int connections, int held, int sse, int ws, int channels, int mailboxes,
             long historyEntries, long historyBytes, long published, long delivered, int connectionThreads,
             boolean draining, MemoryProbe.Memory memory, GcPauses gc, String brokerJson) {

    String toJson() {
        var m = memory;
        var collectors = new StringBuilder();
        for (var c : gc.collectors()) {
            collectors.append(collectors.isEmpty() ? "" : ",").append("{\"name\":").append(Json.string(c.name()))
                    .append(",\"count\":").append(c.count()).append(",\"millis\":").append(c.millis()).append('}');
        }
        return "{\"uptimeMillis\":" + uptimeMillis
                + ",\"connections\":" + connections
                + ",\"held\":" + held
                + ",\"streams\":{\"sse\":" + sse + ",\"ws\":" + ws + "}"
                + ",\"channels\":" + channels
                + ",\"mailboxes\":" + mailboxes
                + ",\"historyEntries\":" + historyEntries
                + ",\"historyBytes\":" + historyBytes
                + ",\"published\":" + published
                + ",\"delivered\":" + delivered
                + ",\"connectionThreads\":" + connectionThreads
                + ",\"draining\":" + draining
                + ",\"memory\":{\"heapUsedBytes\":" + m.heapUsed()
                + ",\"heapCommittedBytes\":" + m.heapCommitted()
                + ",\"rssBytes\":" + m.rss()
                + ",\"directBufferBytes\":" + m.directBuffers()
                + ",\"mappedBufferBytes\":" + m.mappedBuffers()
                + ",\"baselineHeapUsedBytes\":" + m.baselineHeapUsed()
                + ",\"baselineRssBytes\":" + m.baselineRss()
                + ",\"perConnectionHeapBytes\":" + m.perConnectionHeap()
                + ",\"perConnectionRssBytes\":" + m.perConnectionRss()
                + ",\"kernelTcpBytes\":" + m.kernelTcp()
                + ",\"kernelBytesPerSocketEstimate\":" + m.kernelPerSocket()
                + "}"
                + ",\"gc\":{\"pauses\":" + gc.pauses() + ",\"pauseMillis\":" + gc.millis()
                + ",\"collectors\":[" + collectors + "]}"
                + (brokerJson == null ? "" : ",\"redis\":" + brokerJson)
                + "}";
    }

    /**
     * Prometheus text format 0.0.4; a figure that is null in {@link #toJson()}
     * (not read, or per connection below {@link MemoryProbe#MIN_CONNECTIONS}) is left out.
     */
    String toPrometheus() {
        var out = new StringBuilder(2048);
        gauge(out, "loompush_connections", "Open client connections", connections);
        gauge(out, "loompush_held_polls", "Polls waiting for a message", held);
        gauge(out, "loompush_sse_streams", "Open Server-Sent Events streams", sse);
        gauge(out, "loompush_websockets", "Open WebSockets", ws);
        gauge(out, "loompush_channels", "Channels with history or held polls", channels);
        gauge(out, "loompush_mailboxes", "Mailboxes registered on channels", mailboxes);
        gauge(out, "loompush_history_entries", "Messages kept in history", historyEntries);
        gauge(out, "loompush_history_bytes", "Payload bytes kept in history", historyBytes);
        counter(out, "loompush_published_total", "Messages published", published);
        counter(out, "loompush_delivered_total", "Messages written to polling clients", delivered);
        gauge(out, "loompush_connection_threads", "Virtual threads serving connections, alive now",
                connectionThreads);
        gauge(out, "loompush_draining", "1 while shutting down", draining ? 1 : 0);
        gauge(out, "loompush_heap_used_bytes", "JVM heap in use", memory.heapUsed());
        gauge(out, "loompush_heap_committed_bytes", "JVM heap committed", memory.heapCommitted());
        gauge(out, "loompush_rss_bytes", "Process resident set size", memory.rss());
        gauge(out, "loompush_direct_buffer_bytes", "Direct byte buffers", memory.directBuffers());
        gauge(out, "loompush_mapped_buffer_bytes", "Mapped byte buffers", memory.mappedBuffers());
        gauge(out, "loompush_baseline_heap_used_bytes", "Heap in use at start", memory.baselineHeapUsed());
        gauge(out, "loompush_baseline_rss_bytes", "RSS at start", memory.baselineRss());
        gauge(out, "loompush_heap_bytes_per_connection", "Heap growth since start per connection",
                memory.perConnectionHeap());
        gauge(out, "loompush_rss_bytes_per_connection", "RSS growth since start per connection",
                memory.perConnectionRss());
        gauge(out, "loompush_kernel_tcp_bytes", "Kernel TCP buffer memory, all sockets", memory.kernelTcp());
        gauge(out, "loompush_kernel_bytes_per_socket_estimate", "Kernel memory per TCP socket, estimated",
                memory.kernelPerSocket());
        counter(out, "loompush_gc_pauses_total", "Garbage collection pauses", gc.pauses());
        counter(out, "loompush_gc_pause_seconds_total", "Time in garbage collection pauses", gc.millis() / 1000.0);
        return out.toString();
    }
    private static void gauge(StringBuilder out, String name, String help, Number value) {
        metric(out, name, help, "gauge", value);
    }

    private static void counter(StringBuilder out, String name, String help, Number value) {
        metric(out, name, help, "counter", value);
    }

    private static void metric(StringBuilder out, String name, String help, String type, Number value) {
        if (value == null) {
            return;
        }
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
