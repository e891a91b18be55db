package io.loompush.server.auth;

import io.loompush.server.ChannelNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A set of channels as a token's {@code channels} claim or {@code --auth-open}
 * names them: exact names, prefixes written {@code user.alice.*}, or {@code *}
 * alone for every channel.
 *
 * @param names    the exact names
 * @param prefixes what a name may start with, the {@code *} taken off
 * @param all      whether every channel is in the set
 */
public record ChannelPatterns(Set<String> names, List<String> prefixes, boolean all) {
    public static final ChannelPatterns NONE = new ChannelPatterns(Set.of(), List.of(), false);

    public ChannelPatterns {
        names = Set.copyOf(names);
        prefixes = List.copyOf(prefixes);
    }

    /**
     * @param patterns each a channel name, a channel name's start followed by {@code *}, or {@code *}
     * @throws IllegalArgumentException naming the first pattern that is none of these
     */
    public static ChannelPatterns parse(List<String> patterns) {
        var names = new HashSet<String>();
        var prefixes = new ArrayList<String>();
        boolean all = false;
        for (String pattern : patterns) {
            if (pattern.equals("*")) {
                all = true;
            } else if (pattern.endsWith("*") && ChannelNames.valid(pattern.substring(0, pattern.length() - 1))) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else if (ChannelNames.valid(pattern)) {
                names.add(pattern);
            } else {
                throw new IllegalArgumentException("'" + pattern + "' is not a channel name, name* or *");
            }
        }
        return new ChannelPatterns(names, prefixes, all);
    }

    public boolean allows(String channel) {
        if (all || names.contains(channel)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (channel.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
