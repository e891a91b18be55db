package io.loompush.server.redis;

import io.loompush.server.push.Backlog;
import io.loompush.server.push.Channels;
import io.loompush.server.push.Coverage;
import io.loompush.server.push.Feed;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's subscription to Redis, put together from its parts: the wanted
 * channels and their linger ({@link Wanted}), the subscriber link and its
 * reconnects ({@link Listener}, {@link Link}), the one thread that sends
 * commands on it ({@link SubscriptionManager}), and the copies' continuity
 * with their streams ({@link Backfill}).
 *
 * <p>A channel is covered from its SUBSCRIBE confirmation and the reading of
 * its stream that follows, until the link breaks. The node's copy of a channel
 * continues its stream: after a break, the reading first appends what the
 * stream got since the copy's newest position, so a Redis blip loses nothing.
 * It starts over (polls from before then read the stream, which says gap) only
 * when the stream itself lost entries past that position, or was lost.
 */
public final class RedisFeed implements Feed, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisFeed.class);

    private final RedisStreams streams;
    private final Wanted wanted;
    private final Echoes echoes = new Echoes();
    private final Listener listener;
    private final SubscriptionManager manager;
    private final int parallelReads;
    private volatile Backfill backfill;
    private volatile Channels channels;

    /**
     * @param historyTtl    the streams' TTL, for keeping their metadata alive
     * @param parallelReads stream reads of coverage at most at once
     */
    public RedisFeed(RedisTarget target, RedisStreams streams, Duration linger, Duration historyTtl, int parallelReads) {
        this.streams = streams;
        this.wanted = new Wanted(linger.toNanos(), System::nanoTime);
        this.parallelReads = parallelReads;
        var events = new Events();
        this.listener = new Listener(target, streams, events, this::endCoverage);
        this.manager = new SubscriptionManager(wanted, listener::link, streams, historyTtl);
    }

    /** Starts listening; messages go into these channels. */
    public void start(Channels into) {
        this.channels = into;
        this.backfill = new Backfill(streams, copies(into), echoes, parallelReads);
        listener.start();
        manager.start();
    }

    public boolean connected() {
        return listener.connected();
    }

    Echoes echoes() {
        return echoes;
    }

    /** The /stats figures of the Redis link, as a JSON object. */
    public String statsJson() {
        long covered = wanted.all().stream().filter(Subscription::covered).count();
        Backfill b = backfill;
        return "{\"connected\":" + connected() + ",\"subscribedChannels\":" + covered
                + ",\"wantedChannels\":" + wanted.size() + ",\"reconnects\":" + listener.reconnects()
                + ",\"readings\":" + (b == null ? 0 : b.readings())
                + ",\"readRetries\":" + (b == null ? 0 : b.retries()) + "}";
    }

    @Override
    public void interested(String channel) {
        Subscription s = wanted.want(channel);
        // Not only when never sent: a SUBSCRIBE marked on a link that died under it is stale too.
        Link current = listener.link();
        if (s.generation < 0 || current == null || s.generation != current.generation) {
            manager.request(channel);
        }
    }

    @Override
    public void uninterested(String channel) {
        wanted.unwant(channel);
    }

    @Override
    public Coverage coverage(String channel) {
        Subscription s = wanted.get(channel);
        if (s == null) {
            return null;
        }
        // A coverage starts over by setting the position, then the new cover: read until both are of
        // one coverage, or a poll could get the old epoch with a position of the new one.
        Cover cover;
        long last;
        do {
            cover = s.cover;
            last = s.last;
        } while (cover != s.cover);
        return cover == null ? null : new Coverage(cover.epoch(), cover.since(), cover.openFrom(), last);
    }

    @Override
    public long latest(String channel) {
        Subscription s = wanted.get(channel);
        return s == null ? 0 : s.last;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public Backlog read(String channel, String epoch, long after, int max) {
        return streams.read(channel, epoch, after, max);
    }

    @Override
    public void close() {
        Backfill b = backfill;
        if (b != null) {
            b.close();
        }
        listener.close();
        manager.close();
    }

    /** The link is gone: nothing is covered, and everything wanted must be sent again on the next link. */
    private void endCoverage() {
        Backfill b = backfill;
        for (Subscription s : wanted.all()) {
            s.generation = -1;
            b.end(s);
        }
        for (String channel : wanted.channels()) {
            channels.wake(channel);
        }
    }

    /** The listener's callbacks: each hands over to the backfill or the manager and returns. */
    private final class Events implements Link.Events {
        @Override
        public void up(Link link) {
            log.info("redis: subscriber connected");
            manager.nudge();
        }

        @Override
        public void subscribed(Link link, String channel) {
            Subscription s = wanted.get(channel);
            if (s != null && s.generation == link.generation) {
                backfill.begin(channel, s);
            }
        }

        /**
         * A confirmation does not say which SUBSCRIBE it answers: an UNSUBSCRIBE confirmed after a
         * channel was wanted again ends the coverage its stale SUBSCRIBE confirmation may have
         * started; the new SUBSCRIBE's confirmation, which comes after, starts it again.
         */
        @Override
        public void unsubscribed(Link link, String channel) {
            Subscription s = wanted.get(channel);
            if (s != null && s.generation == link.generation) {
                backfill.end(s);
            }
        }

        @Override
        public void message(String channel, byte[] message) {
            Subscription s = wanted.get(channel);
            if (s != null) {
                backfill.arrived(channel, s, message);
            }
        }
    }

    private static Copies copies(Channels into) {
        return new Copies() {
            @Override
            public int deliver(String name, String epoch, long seq, byte[] data) {
                return into.deliver(name, epoch, seq, data);
            }

            @Override
            public int broadcast(String name, byte[] data) {
                return into.broadcast(name, data);
            }

            @Override
            public int reset(String name, long at) {
                return into.reset(name, at);
            }

            @Override
            public void wake(String name) {
                into.wake(name);
            }
        };
    }
}
