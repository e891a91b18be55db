package io.loompush.server.redis;

import io.loompush.server.push.Backlog;
import io.loompush.server.push.BrokerUnavailableException;
import io.loompush.server.push.Channels;
import io.loompush.server.push.Coverage;
import io.loompush.server.push.Cursor;
import io.loompush.server.push.Feed;
import io.loompush.server.push.Message;
import io.loompush.server.push.MessageIds;
import io.loompush.server.push.Published;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The node's subscription to Redis: one platform listener thread on one
 * subscriber connection, and one virtual thread that decides what to
 * subscribe to and is the only one to send commands on that connection.
 *
 * <pre>
 *   listener:  connect ──> load the functions ──> SUBSCRIBE control ──> read notifications ... link lost ──> back off
 *              (each channel's SUBSCRIBE confirmed: read its stream, backfill, covered)   (every coverage ends)
 *   manager:   every change or second: SUBSCRIBE what is wanted and not yet sent on this connection,
 *              UNSUBSCRIBE what lingered unwanted long enough, PING; nothing heard for long: drop the link
 * </pre>
 *
 * A channel is wanted from its first held poll on this node until a linger
 * after its last one, so clients that poll again at once cause no churn. A
 * channel is covered from its SUBSCRIBE confirmation until the link breaks.
 * The node's copy of a channel continues its stream: when the subscription is
 * confirmed again after a break, the listener first reads what the stream got
 * since the last position the node holds, so a Redis blip loses nothing and
 * the copy stays unbroken. It starts over (polls from before then read the
 * stream, which says gap) only when the stream itself lost entries past that
 * position, or was lost.
 *
 * <p>The listener only hands over: a message goes into the channel's history
 * and wakes its mailboxes, never touching a client socket. It reads the stream
 * itself when a channel's coverage begins, so no notification is applied before
 * the backfill that precedes it.
 */
public final class RedisFeed implements Feed, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisFeed.class);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    /** A link that answers no PING for this long is dropped and reconnected. */
    private static final Duration DEAD_LINK = Duration.ofSeconds(6);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Channels per SUBSCRIBE or UNSUBSCRIBE command. */
    private static final int BATCH = 1000;
    /** Never a channel name (names cannot hold '!'): subscribed first on every link, it says the link is up. */
    private static final String CONTROL = "!loompush";
    /**
     * Bounds the subscriber's handshake (AUTH, SELECT) with a Redis that accepts connections but
     * does not answer. Jedis reads the subscription without a timeout: a first SUBSCRIBE never
     * confirmed, or a link gone silent, is dropped by the manager after {@link #DEAD_LINK}.
     */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 5000;

    /**
     * Stream entries per read while backfilling: at most 6.4 MB of 64 KB payloads, well inside the
     * command timeout, so a large backlog cannot time out the same read again and again.
     */
    private static final int BACKFILL_BATCH = 100;

    /**
     * One wanted channel. {@code generation} is the link its SUBSCRIBE was sent on.
     * {@code held} is the copy this node holds, kept across link breaks so the
     * next coverage can continue it; {@code cover} is the same while covered, null
     * otherwise; {@code last} is the newest position in the copy.
     */
    private static final class Subscription {
        volatile Cover cover;
        Cover held;
        volatile long last;
        volatile long unwantedSinceNanos;
        volatile boolean unwanted;
        /**
         * Whether an entry for this subscription waits in the unsubscribe queue (one at a time);
         * read and written only inside {@code subscriptions.compute*} for its key.
         */
        boolean queued;
        volatile int generation = -1;
    }

    /** How far the node's copy of a stream goes back; see {@link Coverage}. */
    private record Cover(String epoch, long since, long openFrom) {}

    private record Unwanted(String channel, Subscription subscription, long atNanos) {}

    private final RedisTarget target;
    private final RedisStreams streams;
    private final String prefix;
    private final long lingerNanos;
    /** How often the metadata of the channels this node holds is kept alive. */
    private final long touchNanos;
    private final Echoes echoes = new Echoes();
    private final ConcurrentHashMap<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> toSubscribe = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Unwanted> toUnsubscribe = new ConcurrentLinkedQueue<>();
    private final AtomicLong reconnects = new AtomicLong();
    private final Thread listenerThread;
    private final Thread managerThread;
    private volatile Channels channels;
    private volatile Link link;
    private volatile boolean closed;

    /** @param historyTtl the streams' TTL: their metadata lives twice as long, and is touched four times as often */
    public RedisFeed(RedisTarget target, RedisStreams streams, Duration linger, Duration historyTtl) {
        this.target = target;
        this.streams = streams;
        this.prefix = streams.prefix();
        this.lingerNanos = linger.toNanos();
        this.touchNanos = Math.max(historyTtl.toNanos() / 4, PING_INTERVAL.toNanos() / 2);
        this.listenerThread = Thread.ofPlatform().name("loompush-redis-listener").daemon().unstarted(this::listen);
        this.managerThread = Thread.ofVirtual().name("loompush-redis-subscriptions").unstarted(this::manage);
    }

    /** Starts listening; messages go into these channels. */
    public void start(Channels into) {
        this.channels = into;
        listenerThread.start();
        managerThread.start();
    }

    public boolean connected() {
        Link current = link;
        return current != null && current.up;
    }

    Echoes echoes() {
        return echoes;
    }

    /** The /stats figures of the Redis link, as a JSON object. */
    public String statsJson() {
        long covered = subscriptions.values().stream().filter(s -> s.cover != null).count();
        return "{\"connected\":" + connected() + ",\"subscribedChannels\":" + covered
                + ",\"wantedChannels\":" + subscriptions.size() + ",\"reconnects\":" + reconnects.get() + "}";
    }

    @Override
    public void interested(String channel) {
        // Atomic with the manager's removal of a lingering subscription (see due()).
        Subscription s = subscriptions.compute(channel, (key, existing) -> {
            var wanted = existing == null ? new Subscription() : existing;
            wanted.unwanted = false;
            return wanted;
        });
        // Not only when never sent: a SUBSCRIBE marked on a link that died under it is stale too.
        Link current = link;
        if (s.generation < 0 || current == null || s.generation != current.generation) {
            toSubscribe.add(channel);
            LockSupport.unpark(managerThread);
        }
    }

    /**
     * Starts the linger. A channel polled again and again goes in and out of
     * wanted with every answer, so it has at most one entry in the queue at a
     * time; {@link #due} puts it back for its latest linger if it is unwanted
     * again by then.
     */
    @Override
    public void uninterested(String channel) {
        subscriptions.computeIfPresent(channel, (key, s) -> {
            long now = System.nanoTime();
            s.unwantedSinceNanos = now;
            s.unwanted = true;
            if (!s.queued) {
                s.queued = true;
                toUnsubscribe.add(new Unwanted(key, s, now));
            }
            return s;
        });
    }

    @Override
    public Coverage coverage(String channel) {
        Subscription s = subscriptions.get(channel);
        if (s == null) {
            return null;
        }
        // The listener starts a coverage over by setting the position, then the new cover: read until
        // both are of one coverage, or a poll could get the old epoch with a position of the new one.
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
        Subscription s = subscriptions.get(channel);
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
        closed = true;
        Link current = link;
        if (current != null) {
            current.drop();
        }
        LockSupport.unpark(managerThread);
        listenerThread.interrupt();
    }

    // ---- the listener thread ----

    private void listen() {
        long backoff = MIN_BACKOFF.toNanos();
        int generation = 0;
        boolean quiet = false;
        while (!closed) {
            var current = new Link(++generation);
            try (var jedis = new Jedis(target.hostAndPort(), target.clientConfig(HANDSHAKE_TIMEOUT_MILLIS, "loompush-subscriber"))) {
                current.connection = jedis.getConnection();
                link = current;
                streams.load();
                current.proceed(current.connection, bytes(prefix + CONTROL));
            } catch (JedisDataException e) {
                if (!closed && (!quiet || current.up)) {
                    log.error("redis {} refused a command (loompush needs Redis 7 or newer): {}; retrying with backoff",
                            target, e.getMessage());
                }
            } catch (JedisException | IllegalStateException | BrokerUnavailableException e) {
                // One line when the link breaks or the first try fails, not one per retry.
                if (!closed && (!quiet || current.up)) {
                    log.warn("redis {} unreachable: {}; retrying with backoff", target, e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("redis {}: the listener failed; reconnecting", target, e);
            }
            quiet = true;
            boolean wasUp = current.up;
            current.up = false;
            endCoverage();
            if (closed) {
                break;
            }
            if (wasUp) {
                reconnects.incrementAndGet();
                backoff = MIN_BACKOFF.toNanos();
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toNanos());
        }
    }

    /** The link is gone: nothing is covered, and everything wanted must be sent again on the next link. */
    private void endCoverage() {
        for (var entry : subscriptions.entrySet()) {
            entry.getValue().cover = null;
            entry.getValue().generation = -1;
        }
        Channels into = channels;
        for (String channel : subscriptions.keySet()) {
            into.wake(channel);
        }
    }

    /** One subscriber connection and its callbacks, run on the listener thread. */
    private final class Link extends BinaryJedisPubSub {
        final int generation;
        volatile Connection connection;
        volatile boolean up;
        /**
         * When Redis last sent anything on this link. Any frame proves the link alive, not only a
         * PONG: a PONG queued behind thousands of SUBSCRIBE confirmations, each covered with a stream
         * read on this thread, must not get a busy link dropped as dead.
         */
        volatile long lastHeardNanos = System.nanoTime();

        Link(int generation) {
            this.generation = generation;
        }

        @Override
        public void onSubscribe(byte[] channel, int count) {
            lastHeardNanos = System.nanoTime();
            String name = name(channel);
            if (name.equals(CONTROL)) {
                up = true;
                log.info("redis {}: subscriber connected", target);
                LockSupport.unpark(managerThread);
                return;
            }
            Subscription s = subscriptions.get(name);
            if (s != null && s.generation == generation) {
                cover(name, s);
            }
        }

        /**
         * A confirmation does not say which SUBSCRIBE it answers: an UNSUBSCRIBE confirmed after
         * a channel was wanted again ends the coverage its stale SUBSCRIBE confirmation may have
         * started; the new SUBSCRIBE's confirmation, which comes after, starts it again.
         */
        @Override
        public void onUnsubscribe(byte[] channel, int count) {
            lastHeardNanos = System.nanoTime();
            Subscription s = subscriptions.get(name(channel));
            if (s != null && s.generation == generation) {
                s.cover = null;
            }
        }

        /**
         * A notification continues the copy when it follows the newest entry the
         * copy holds; one the copy already holds (from a backfill) is dropped; one
         * that skips entries, or starts another epoch, makes the listener read the
         * stream. A plain PUBLISH goes to the polls held now, and nowhere else.
         */
        @Override
        public void onMessage(byte[] channel, byte[] message) {
            lastHeardNanos = System.nanoTime();
            String name = name(channel);
            Subscription s = subscriptions.get(name);
            Cover cover = s == null ? null : s.cover;
            if (cover == null) {
                return;
            }
            var notification = Notification.parse(message);
            if (notification == null) {
                channels.broadcast(name, message);
                return;
            }
            boolean sameEpoch = notification.epoch().equals(cover.epoch());
            if (sameEpoch && notification.position() <= s.last) {
                return;
            }
            if (!sameEpoch || notification.previous() != s.last) {
                cover(name, s);
                return;
            }
            // The position first: a channel object created meanwhile starts after it (see Feed.latest).
            s.last = notification.position();
            int receivers = channels.deliver(name, cover.epoch(), notification.position(), notification.payload());
            echoes.arrived(name, notification.payload(),
                    new Published(name, MessageIds.format(cover.epoch(), notification.position()), receivers));
        }

        @Override
        public void onPong(byte[] pattern) {
            lastHeardNanos = System.nanoTime();
        }

        void drop() {
            Connection c = connection;
            if (c != null) {
                c.disconnect();
            }
        }

        private String name(byte[] channel) {
            return new String(channel, prefix.length(), channel.length - prefix.length(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Makes the node's copy of the channel continue its stream, on the listener
     * thread, so no notification is applied meanwhile: the first time, the copy
     * starts at the stream's newest entry; after a break, what the stream got
     * since the copy's newest position is appended, and the coverage goes on from
     * where it went before. When the stream lost entries past that position, or
     * is another epoch, the copy starts over at the stream's newest entry.
     *
     * @throws BrokerUnavailableException when the stream cannot be read: the link is then dropped
     */
    private void cover(String name, Subscription s) {
        s.cover = null;
        Cover held = s.held;
        if (held == null) {
            Backlog now = streams.read(name, Cursor.NO_EPOCH, 0, 0);
            startOver(name, s, now);
            return;
        }
        long openFrom = s.last;
        Backlog backlog;
        do {
            long after = s.last;
            backlog = streams.read(name, held.epoch(), after, BACKFILL_BATCH);
            heard();
            if (backlog.gapAfter(after)) {
                channels.reset(name, backlog.last());
                startOver(name, s, backlog);
                return;
            }
            for (Message m : backlog.messages()) {
                s.last = m.seq();
                channels.deliver(name, held.epoch(), m.seq(), m.data());
            }
        } while (backlog.messages().size() == BACKFILL_BATCH);
        s.cover = new Cover(held.epoch(), held.since(), openFrom);
        channels.wake(name);
    }

    /** A stream read answered on the listener thread: Redis is alive, whatever the link is waiting behind. */
    private void heard() {
        Link current = link;
        if (current != null) {
            current.lastHeardNanos = System.nanoTime();
        }
    }

    private void startOver(String name, Subscription s, Backlog now) {
        var cover = new Cover(now.epoch(), now.last(), now.last());
        s.held = cover;
        s.last = now.last();
        s.cover = cover;
        channels.wake(name);
    }

    // ---- the manager thread ----

    private void manage() {
        int resubscribed = 0;
        long lastPing = System.nanoTime();
        long lastTouch = lastPing;
        while (!closed) {
            LockSupport.parkNanos(PING_INTERVAL.toNanos() / 2);
            Link current = link;
            if (current == null || !current.up) {
                // While down: let lingering subscriptions go and forget queued ones (the next link
                // subscribes every wanted channel anyway), so nothing piles up during an outage;
                // and drop a link whose first SUBSCRIBE is never confirmed (Jedis reads it without a timeout).
                due();
                toSubscribe.clear();
                if (current != null && System.nanoTime() - current.lastHeardNanos > DEAD_LINK.toNanos()) {
                    current.drop();
                }
                continue;
            }
            try {
                if (resubscribed != current.generation) {
                    toSubscribe.clear();
                    send(current, true, new ArrayList<>(subscriptions.keySet()));
                    resubscribed = current.generation;
                } else {
                    send(current, true, drain(toSubscribe));
                }
                send(current, false, due());
                long now = System.nanoTime();
                if (now - current.lastHeardNanos > DEAD_LINK.toNanos()) {
                    log.warn("redis {}: nothing heard (not even a PONG) for {} ms, reconnecting", target,
                            (now - current.lastHeardNanos) / 1_000_000);
                    current.drop();
                } else if (now - lastPing >= PING_INTERVAL.toNanos()) {
                    current.ping();
                    lastPing = now;
                }
                if (now - lastTouch >= touchNanos) {
                    streams.touch(subscriptions.keySet());
                    lastTouch = now;
                }
            } catch (JedisException | IllegalStateException e) {
                log.debug("redis {}: subscription change failed, the link is going down: {}", target, e.toString());
            } catch (RuntimeException e) {
                log.error("redis {}: managing subscriptions failed; dropping the link", target, e);
                current.drop();
            }
        }
    }

    /** Sends SUBSCRIBE (or UNSUBSCRIBE) for the channels in batches, marking what was sent on which link. */
    private void send(Link current, boolean subscribe, List<String> channels) {
        var batch = new ArrayList<byte[]>(Math.min(BATCH, channels.size()));
        for (String channel : channels) {
            Subscription s = subscriptions.get(channel);
            if (subscribe) {
                if (s == null || s.unwanted || s.generation == current.generation) {
                    continue;
                }
                s.generation = current.generation;
            }
            batch.add(bytes(prefix + channel));
            if (batch.size() == BATCH) {
                flush(current, subscribe, batch);
            }
        }
        flush(current, subscribe, batch);
    }

    private void flush(Link current, boolean subscribe, List<byte[]> batch) {
        if (batch.isEmpty()) {
            return;
        }
        byte[][] names = batch.toArray(new byte[0][]);
        if (subscribe) {
            current.subscribe(names);
        } else {
            current.unsubscribe(names);
        }
        batch.clear();
    }

    /**
     * The channels unwanted for a whole linger, removed from the wanted set.
     * The queue is in time order, as the linger is the same for all; an entry
     * whose channel was wanted again and let go since goes back in for the
     * rest of its newer linger.
     */
    private List<String> due() {
        var due = new ArrayList<String>();
        long now = System.nanoTime();
        for (Unwanted head = toUnsubscribe.peek(); head != null && now - head.atNanos() >= lingerNanos;
                head = toUnsubscribe.peek()) {
            toUnsubscribe.poll();
            Subscription s = head.subscription();
            boolean[] removed = {false};
            subscriptions.computeIfPresent(head.channel(), (key, current) -> {
                if (current != s) {
                    return current;
                }
                if (!s.unwanted) {
                    s.queued = false;
                    return current;
                }
                if (now - s.unwantedSinceNanos < lingerNanos) {
                    toUnsubscribe.add(new Unwanted(key, s, s.unwantedSinceNanos));
                    return current;
                }
                removed[0] = true;
                return null;
            });
            if (removed[0] && s.generation >= 0) {
                due.add(head.channel());
            }
        }
        return due;
    }

    private static List<String> drain(ConcurrentLinkedQueue<String> queue) {
        var drained = new ArrayList<String>();
        String channel;
        while ((channel = queue.poll()) != null) {
            drained.add(channel);
        }
        return drained;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
