package io.loompush.server;

/** One reading of the server's figures, as /stats JSON or /metrics text. */
/** @param brokerJson the broker's own figures as a JSON object (Redis), or null */
record Stats(int connections, int held, int channels, int mailboxes, long published, long delivered,
             boolean draining, MemoryProbe.Memory memory, String brokerJson) {

    String toJson() {
        var m = memory;
        return "{\"connections\":" + connections
                + ",\"held\":" + held
                + ",\"channels\":" + channels
                + ",\"mailboxes\":" + mailboxes
                + ",\"published\":" + published
                + ",\"delivered\":" + delivered
                + ",\"draining\":" + draining
                + ",\"memory\":{\"heapUsedBytes\":" + m.heapUsed()
                + ",\"heapCommittedBytes\":" + m.heapCommitted()
                + ",\"rssBytes\":" + m.rss()
                + ",\"perConnectionHeapBytes\":" + m.perConnectionHeap()
                + ",\"perConnectionRssBytes\":" + m.perConnectionRss()
                + ",\"kernelTcpBytes\":" + m.kernelTcp()
                + ",\"kernelBytesPerSocketEstimate\":" + m.kernelPerSocket()
                + "}"
                + (brokerJson == null ? "" : ",\"redis\":" + brokerJson)
                + "}";
    }

    /** Prometheus text format 0.0.4; a figure that could not be read is left out. */
    String toPrometheus() {
        var out = new StringBuilder(1024);
        gauge(out, "loompush_connections", "Open client connections", connections);
        gauge(out, "loompush_held_polls", "Polls waiting for a message", held);
        gauge(out, "loompush_channels", "Channels with history or held polls", channels);
        gauge(out, "loompush_mailboxes", "Mailboxes registered on channels", mailboxes);
        counter(out, "loompush_published_total", "Messages published", published);
        counter(out, "loompush_delivered_total", "Messages written to polling clients", delivered);
        gauge(out, "loompush_draining", "1 while shutting down", draining ? 1 : 0);
        gauge(out, "loompush_heap_used_bytes", "JVM heap in use", memory.heapUsed());
        gauge(out, "loompush_heap_committed_bytes", "JVM heap committed", memory.heapCommitted());
        gauge(out, "loompush_rss_bytes", "Process resident set size", memory.rss());
        gauge(out, "loompush_kernel_tcp_bytes", "Kernel TCP buffer memory, all sockets", memory.kernelTcp());
        gauge(out, "loompush_kernel_bytes_per_socket_estimate", "Kernel memory per TCP socket, estimated",
                memory.kernelPerSocket());
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
