package io.loompush.sim;

import io.loompush.sim.protocol.Protocol;
import io.loompush.sim.protocol.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of one run, built once from the command line by
 * {@link ConfigParser} and passed down by constructor.
 *
 * @param transport      long-poll, or one of the streams: Server-Sent Events, WebSocket
 * @param publishTarget  where HTTP publishes go: the target, or a port of its own (Pushpin's publish port)
 * @param ramp           connections opened per second, over all processes
 * @param duration       the load phase: the hold in idle, publishing in unicast and reconnect; a bound in active
 *                       and fanout
 * @param pollTimeout    the hold each poll asks for; on a stream, the longest silence accepted (less
 *                       {@link SimClient#ANSWER_GRACE}) between two events or heartbeats
 * @param sharedChannels channels every client polls besides its own
 * @param rate           messages per second (0: as fast as the publishers go)
 * @param rounds         fanout rounds
 * @param cutAt          reconnect: when in the load phase every client cuts its connection
 * @param publishers     connections the publisher sends on in parallel; channel i always uses the same one
 * @param settle         wait after connecting (and after the load) before memory is read
 * @param drain          longest wait for messages still in flight after the load
 * @param serverPid      the server's process, for RSS and CPU of its whole tree, or null
 * @param statsPath      the server's stats path (loompush /stats), or null for none
 * @param json           where to write every figure, or null
 * @param perProcess     the most connections one process opens; more clients start worker processes
 * @param run            this run's id, in every payload, so messages of earlier runs are told apart
 * @param worker         the clients this process runs as a worker of another, or null in the main process
 */
record SimConfig(
        Mode mode,
        Protocol protocol,
        Transport transport,
        Target target,
        Target publishTarget,
        int clients,
        int ramp,
        Duration duration,
        Duration pollTimeout,
        List<String> sharedChannels,
        SourceAddresses sources,
        PublishVia publishVia,
        RedisAddress redis,
        String redisPrefix,
        String publishToken,
        String token,
        int rate,
        int rounds,
        Duration cutAt,
        int messageBytes,
        int publishers,
        Duration settle,
        Duration drain,
        Duration connectTimeout,
        Long serverPid,
        String statsPath,
        boolean forceGc,
        Path json,
        int perProcess,
        String run,
        Slice worker) {

    enum PublishVia { HTTP, REDIS }

    /** Client i polls channel "c" + i: its client id. */
    static final String CLIENT_PREFIX = "c";

    SimConfig {
        sharedChannels = List.copyOf(sharedChannels);
    }

    static String clientChannel(int index) {
        return CLIENT_PREFIX + index;
    }

    /**
     * The longest a run can take: every phase has its bound; past this the
     * process stops itself, whatever hangs.
     */
    Duration hardLimit() {
        return connectTimeout.plus(settle.multipliedBy(3)).plus(duration).plus(drain).plus(Duration.ofSeconds(60));
    }
}
