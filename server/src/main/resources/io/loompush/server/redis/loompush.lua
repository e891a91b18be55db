#!lua name=loompush
-- loompush's stream functions, loaded by every loompush node at start (FUNCTION LOAD REPLACE) and
-- callable by any Redis client. KEYS[1] is the channel's stream, <prefix><channel> (on a Redis Cluster
-- <prefix>{<channel>}, so that what follows shares its hash slot); its metadata is the hash
-- KEYS[1] .. '!meta' (a name no channel can have: channel names never hold '!').
--
--   FCALL loompush_publish 1 push:alice <payload> [<maxlen> <ttl-ms>]   -> the loompush message id
--   FCALL loompush_read    1 push:alice <cursor-epoch> <after ms-seq> <count> [<ttl-ms>]
--   FCALL loompush_lost    1 push:alice <epoch> <ms-seq>     (a node whose copy is ahead of the stream)
--
-- The metadata: 'epoch' names this incarnation of the channel's history (a new one when Redis lost it,
-- so an older cursor is recognised) and 'last' is the newest id ever added. Every entry holds its
-- payload 'd' and the id before it 'p': a reader that finds the entry after its cursor pointing to a
-- later one knows that entries in between were trimmed away, whatever trimmed them. Both keys expire
-- after a TTL without publishes; the metadata lives twice as long, so a cursor that saw everything
-- before the stream expired is still recognised, and the next entry continues the chain.

local DEFAULT_MAXLEN = __MAXLEN__
local DEFAULT_TTL_MS = __TTL_MS__
-- PUBLISH on a single Redis; SPUBLISH on a cluster, so a notification stays inside its key's shard.
local NOTIFY = '__NOTIFY__'
local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'

local function base36(n)
    if n == 0 then
        return '0'
    end
    local s = ''
    while n > 0 do
        local d = n % 36
        s = string.sub(DIGITS, d + 1, d + 1) .. s
        n = (n - d) / 36
    end
    return s
end

local function split(id)
    local dash = string.find(id, '-', 1, true)
    return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end

-- The loompush position of stream id ms-seq is ms * 2^20 + seq in base 36. Lua numbers are doubles,
-- exact only below 2^53, so the division by 36 runs on the two halves.
local function position(id)
    local high, low = split(id)
    local s = ''
    while high > 0 or low > 0 do
        local r = high % 36
        high = (high - r) / 36
        local t = r * 1048576 + low
        local d = t % 36
        low = (t - d) / 36
        s = string.sub(DIGITS, d + 1, d + 1) .. s
    end
    return s == '' and '0' or s
end

-- Microseconds of Redis's clock: a new incarnation never gets the epoch of an earlier one.
local function new_epoch(meta, old)
    local now = redis.call('TIME')
    local epoch = base36(tonumber(now[1]) * 1000000 + tonumber(now[2]))
    if epoch == old then
        epoch = base36(tonumber(now[1]) * 1000000 + tonumber(now[2]) + 1)
    end
    redis.call('HSET', meta, 'epoch', epoch)
    return epoch
end

local function epoch_of(meta)
    return redis.call('HGET', meta, 'epoch') or new_epoch(meta, nil)
end

-- A loompush position holds the stream id's counter in 20 bits (ms * 2^20 + seq).
local COUNTER_LIMIT = 1048576

-- The id of the next entry: after every id the stream ever held, even once it expired and even if
-- Redis's clock went back since. When the clock is not past the last id, XADD '*' would count up
-- within that millisecond without limit; the counter carries into the next millisecond instead, so
-- it never leaves its 20 bits.
local function next_id(last)
    local now = redis.call('TIME')
    local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
    local ms, seq = split(last)
    if now_ms > ms then
        return '*'
    end
    if seq + 1 >= COUNTER_LIMIT then
        return string.format('%d-0', ms + 1)
    end
    return string.format('%d-%d', ms, seq + 1)
end

-- The metadata outlives its stream: its TTL only ever grows here (GT), so a reader or a publish with
-- a shorter TTL than an earlier publish's cannot make it expire first and start a false new epoch.
local function keep_meta(meta, ttl)
    redis.call('PEXPIRE', meta, 2 * ttl, 'GT')
    if redis.call('PTTL', meta) == -1 then
        redis.call('PEXPIRE', meta, 2 * ttl)
    end
end

local function usage(keys, arg, text)
    if keys[1] == nil or arg == nil then
        return redis.error_reply('usage: FCALL ' .. text)
    end
end

local function publish(keys, args)
    local bad = usage(keys, args[1], 'loompush_publish 1 <prefix><channel> <payload> [<maxlen> <ttl-ms>]')
    if bad then
        return bad
    end
    local stream = keys[1]
    local meta = stream .. '!meta'
    local payload = args[1]
    local maxlen = tonumber(args[2]) or DEFAULT_MAXLEN
    local ttl = tonumber(args[3]) or DEFAULT_TTL_MS
    local epoch = epoch_of(meta)
    local prev = redis.call('HGET', meta, 'last') or '0-0'
    local id = '*'
    if prev ~= '0-0' then
        id = next_id(prev)
    end
    id = redis.call('XADD', stream, 'MAXLEN', '~', maxlen, id, 'd', payload, 'p', prev)
    redis.call('HSET', meta, 'last', id)
    redis.call('PEXPIRE', stream, ttl)
    keep_meta(meta, ttl)
    -- Subscribers tell a notification from a plain PUBLISH by its first bytes.
    redis.call(NOTIFY, stream, '\0lp1 ' .. epoch .. ' ' .. id .. ' ' .. prev .. '\n' .. payload)
    return epoch .. '-' .. position(id)
end

-- Returns {epoch, last, entries}; the caller decides about gaps from the entries' 'p'. The entries
-- are those after <after> when the cursor's epoch is the stream's, else the oldest ones.
local function read(keys, args)
    local bad = usage(keys, args[3], 'loompush_read 1 <prefix><channel> <cursor-epoch> <after> <count> [<ttl-ms>]')
    if bad then
        return bad
    end
    local stream = keys[1]
    local meta = stream .. '!meta'
    local cursor_epoch, after, count = args[1], args[2], tonumber(args[3])
    local ttl = tonumber(args[4]) or DEFAULT_TTL_MS
    local epoch = epoch_of(meta)
    keep_meta(meta, ttl)
    local last = redis.call('HGET', meta, 'last') or '0-0'
    if cursor_epoch ~= epoch then
        after = '0-0'
    end
    local entries = {}
    if count > 0 then
        entries = redis.call('XRANGE', stream, '(' .. after, '+', 'COUNT', count)
    end
    return {epoch, last, entries}
end

-- A node read the stream after a link break and found it behind the copy the node holds: Redis lost
-- writes it had acknowledged (a failover promoted a replica that never got them, or a crash lost the
-- last second). While the stream is still in the node's epoch and behind its position, a new epoch
-- starts, so every cursor from before is answered with a gap wherever it comes (and an id handed out
-- again names the new epoch). 'last' stays: the chain of what the stream holds is unbroken in the new
-- epoch. Returns the epoch now.
local function lost(keys, args)
    local bad = usage(keys, args[2], 'loompush_lost 1 <prefix><channel> <epoch> <ms-seq>')
    if bad then
        return bad
    end
    local meta = keys[1] .. '!meta'
    local epoch = epoch_of(meta)
    if epoch ~= args[1] then
        return epoch
    end
    local last_ms, last_seq = split(redis.call('HGET', meta, 'last') or '0-0')
    local ms, seq = split(args[2])
    if ms < last_ms or (ms == last_ms and seq <= last_seq) then
        return epoch
    end
    return new_epoch(meta, epoch)
end

redis.register_function('loompush_publish', publish)
redis.register_function('loompush_lost', lost)
redis.register_function('loompush_read', read)
