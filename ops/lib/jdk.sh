# Sourced by the ops scripts: finds a JDK 25 or newer and exports JAVA_HOME.
# Looks at JAVA_HOME first, then at the JDKs installed under /usr/lib/jvm.

jdk_feature_version() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

find_jdk25() {
    local candidate version
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        version=$(jdk_feature_version "$candidate")
        if [[ "$version" =~ ^[0-9]+$ ]] && [ "$version" -ge 25 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    echo "loompush needs a JDK 25 or newer: none at JAVA_HOME (${JAVA_HOME:-unset}) or under /usr/lib/jvm." >&2
    echo "Install one (for example Eclipse Temurin 25) and set JAVA_HOME to it." >&2
    return 1
}
