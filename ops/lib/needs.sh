# shellcheck shell=bash
# Sourced by ops/test and ops/install-peers: what each phase of the tests needs,
# how to tell that it is there, and how to install it.
#
# Phases: build (the unit tests and everything after), it (the integration
# tests), smoke (ops/bench --smoke and its peers), peers (the peer only a
# full ops/bench runs by default: pushpin). A piece is installed with
# apt-get or dnf, as root or through sudo without a password; the seed-node
# and socketio peers' packages with npm ci.
# Needs ops/lib/jdk.sh sourced first and $root set to the repository.

needs_ids=()
declare -A needs_phase needs_what needs_apt needs_dnf
need() { # ID PHASE APT-PACKAGE DNF-PACKAGE WHAT  (- where the platform has no package)
    needs_ids+=("$1")
    needs_phase[$1]=$2 needs_apt[$1]=$3 needs_dnf[$1]=$4 needs_what[$1]=$5
}
need jdk       build jdk                java-25-openjdk-devel "a JDK 25"
need maven     build maven              maven                 "Maven"
need redis     it    redis-server       redis                 "redis-server, or a Docker engine (the Redis integration tests)"
need chromium  it    chromium           chromium              "Chromium (the browser test, BrowserIT)"
need chromedriver it chromium-driver    chromedriver          "chromedriver (Selenium drives Chromium through it in BrowserIT)"
need redis-cluster it redis-server     redis                 "redis-server and redis-cli (the Redis Cluster integration tests start a cluster from them, Docker or not)"
need nginx     smoke nginx-light        nginx                 "nginx (the nchan peer)"
need nchan     smoke libnginx-mod-nchan -                     "nginx's Nchan module (the nchan peer)"
need redis-bin smoke redis-server       redis                 "redis-server (the seed-node peer's Redis)"
need node      smoke nodejs             nodejs                "Node.js (the seed-node peer)"
need npm       smoke npm                npm                   "npm (installs the seed-node peer's packages)"
need python3   smoke python3            python3               "python3 (ops/bench's free ports and report)"
need seed-node smoke -                  -                     "the seed-node peer's npm packages"
need pushpin   peers pushpin            -                     "Pushpin (the pushpin peer; Debian and Ubuntu package it)"
need socketio  smoke -                  -                     "the socketio peer's npm packages (Socket.IO)"

nchan_module=/usr/lib/nginx/modules/ngx_nchan_module.so
seed_node_dir=ops/peers/seed-node
socketio_dir=ops/peers/socketio

npm_dir() { # ID: the folder whose package-lock.json npm ci installs for that piece, or nothing
    case $1 in
        seed-node) echo "$seed_node_dir" ;;
        socketio) echo "$socketio_dir" ;;
    esac
}

docker_answers() {
    command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1
}

needs_has() { # ID: whether that piece is there
    case $1 in
        jdk) find_jdk25 >/dev/null 2>&1 ;;
        maven) command -v mvn >/dev/null ;;
        redis) command -v redis-server >/dev/null || docker_answers ;;
        chromium) command -v chromium >/dev/null || command -v chromium-browser >/dev/null ;;
        chromedriver) command -v chromedriver >/dev/null ;;
        nginx) command -v nginx >/dev/null ;;
        nchan) [ -f "$nchan_module" ] ;;
        redis-bin) command -v redis-server >/dev/null ;;
        redis-cluster) command -v redis-server >/dev/null && command -v redis-cli >/dev/null ;;
        node) command -v node >/dev/null ;;
        npm) command -v npm >/dev/null ;;
        python3) command -v python3 >/dev/null ;;
        seed-node) [ -d "$root/$seed_node_dir/node_modules/redis" ] ;;
        pushpin) command -v pushpin >/dev/null ;;
        socketio) [ -d "$root/$socketio_dir/node_modules/socket.io" ] ;;
    esac
}

needs_missing() { # PHASE...: prints the missing pieces of those phases, one id a line
    local id phase
    for id in "${needs_ids[@]}"; do
        for phase in "$@"; do
            if [ "${needs_phase[$id]}" = "$phase" ] && ! needs_has "$id"; then
                echo "$id"
            fi
        done
    done
}

package_manager() { # prints apt-get or dnf, or nothing
    if command -v apt-get >/dev/null; then echo apt-get; elif command -v dnf >/dev/null; then echo dnf; fi
}

# A JDK 25 is a package only where the distribution has one (Debian 13 and Ubuntu 25.10 do not yet).
jdk_package() {
    local package
    for package in openjdk-25-jdk-headless temurin-25-jdk; do
        if apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            echo "$package"
            return
        fi
    done
}

needs_package() { # ID MANAGER: prints the package that installs the piece, or nothing
    local package
    case $2 in
        apt-get) package=${needs_apt[$1]} ;;
        dnf) package=${needs_dnf[$1]} ;;
        *) package=- ;;
    esac
    if [ "$2" = apt-get ] && [ "$package" = jdk ]; then
        package=$(jdk_package)
    fi
    [ "$package" = - ] || echo "$package"
}

needs_line() { # ID: the line a person runs to install the piece
    local manager package
    manager=$(package_manager)
    package=$(needs_package "$1" "$manager")
    if [ -n "$(npm_dir "$1")" ]; then
        echo "(cd $(npm_dir "$1") && npm ci)"
    elif [ -n "$package" ]; then
        echo "$manager install -y $package"
    else
        case $1 in
            jdk) echo "Eclipse Temurin 25 from https://adoptium.net/installation/linux/ (apt: temurin-25-jdk), then JAVA_HOME" ;;
            nchan) echo "apt-get install -y libnginx-mod-nchan on Debian or Ubuntu; elsewhere nginx built with https://nchan.io" ;;
            *) echo "apt-get install -y ${needs_apt[$1]} on Debian or Ubuntu; elsewhere your platform's package" ;;
        esac
    fi
}

needs_names() { # ID...: the pieces' short names, joined by semicolons
    local id sep=""
    for id in "$@"; do
        printf '%s%s' "$sep" "${needs_what[$id]%% (*}"
        sep="; "
    done
    echo
}

needs_report() { # PROG ID...: names each missing piece and the line that installs it
    local prog=$1 id
    shift
    for id in "$@"; do
        echo "$prog: missing ${needs_what[$id]}: $(needs_line "$id")" >&2
    done
}

run_step() { # PROG COMMAND...: prints the command, then runs it
    local prog=$1
    shift
    echo "$prog: + $*" >&2
    "$@"
}

needs_install() { # PROG ID...: installs what it can of those pieces, printing each command; never fails
    local prog=$1 manager id package
    shift
    local sudo=()
    local packages=() npm=()
    manager=$(package_manager)
    for id in "$@"; do
        if [ -n "$(npm_dir "$id")" ]; then
            npm+=("$(npm_dir "$id")")
            continue
        fi
        package=$(needs_package "$id" "$manager")
        if [ -n "$package" ] && [[ " ${packages[*]} " != *" $package "* ]]; then
            packages+=("$package")
        fi
    done
    if [ ${#packages[@]} -gt 0 ]; then
        if [ "$(id -u)" != 0 ]; then
            if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
                sudo=(sudo)
            else
                echo "$prog: cannot install ${packages[*]}: not root, and sudo asks for a password" >&2
                packages=()
            fi
        fi
    fi
    if [ ${#packages[@]} -gt 0 ]; then
        case $manager in
            apt-get)
                run_step "$prog" "${sudo[@]}" apt-get update -q \
                    && run_step "$prog" "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
                        apt-get install -y -q --no-install-recommends "${packages[@]}" \
                    || echo "$prog: apt-get failed (no network?)" >&2 ;;
            dnf)
                run_step "$prog" "${sudo[@]}" dnf install -y "${packages[@]}" || echo "$prog: dnf failed (no network?)" >&2 ;;
        esac
    fi
    # Installing nginx may start the distribution's nginx service; the bench runs its own and needs no other.
    local dir
    if command -v npm >/dev/null; then
        for dir in "${npm[@]}"; do
            (cd "$root/$dir" && run_step "$prog" npm ci --no-audit --no-fund) \
                || echo "$prog: npm ci failed in $dir (no network?)" >&2
        done
    fi
    return 0
}
