#!/bin/sh
# Measure kextkit's daemon-bound commands as whole client processes, side by side with Apache Felix.
#
#   (a) Felix install+resolve+link of the same bundle graph (bundlegraph's felix mode, in one JVM);
#   (b) bin/kextkit kextload <every kext in the folder>, the whole client process, into a freshly
#       booted kernel daemon for every iteration (loading kexts that are already loaded is not the
#       same work); the command must exit 0, print nothing, and leave every kext loaded;
#   (c) bin/kextkit kextstat, the whole client process, against a freshly booted kernel and against
#       the kernel with every kext loaded (hyperfine if installed, else a loop timed with date);
#       then, for comparison, kextload again into that daemon after unloading every kext;
#   (d) shuts every daemon it booted down and removes its files, whatever happens;
#   (e) prints one summary table.
#
# benchmarks/README.md describes the figures, how to get the inputs and what was measured.

set -u

usage() {
    cat <<'EOF'
usage: benchmarks/run-process-benchmarks.sh [options] [BUNDLEGRAPH_JAR [KEXT_DIR]]

  BUNDLEGRAPH_JAR  bundlegraph.jar, built from tools/bundlegraph (env BUNDLEGRAPH_JAR)
  KEXT_DIR         a folder written by 'java -jar bundlegraph.jar kext --bundles N --out KEXT_DIR'
                   (env KEXT_DIR); N is the number of gen.k*.kext bundles in it

options (and the environment variables that set them):
  -l K   timed kextload iterations, each with a freshly booted daemon (LOAD_ITERATIONS, default 5)
  -w K   untimed kextload warm-up iterations before them (LOAD_WARMUPS, default 1)
  -r K   then K more timed kextloads into the last daemon, each after unloading every kext
         (WARM_ITERATIONS, default 5; 0 skips them): the same load in a JVM that has run it before
  -s K   timed kextstat runs per kernel state (STAT_RUNS, default 30)
  -f K   Felix iterations (FELIX_ITERATIONS, default 5)
  -S S   graph seed given to bundlegraph (SEED, default 42)
  -V     first check that KEXT_DIR is bundlegraph's output for N and S: write the bundles again
         into a temporary folder and compare every file (VERIFY=1)
  -t T   time kextstat with T = hyperfine or loop (STAT_TIMER; default hyperfine if installed)
  -J OPTS  JVM options for the kernel daemons, given to boot as --set daemon.java-options=OPTS
         (DAEMON_JAVA_OPTS; default none, as bin/kextkit boot uses)
  -h     print this help

  KEXTKIT          the kextkit launcher to measure (default: bin/kextkit of this tree)
  FELIX_JAVA_OPTS  JVM options for the Felix run, split on spaces (for example -Djava.io.tmpdir=/dev/shm)

Exit status: 0 measured (whether or not the targets were met); 64 usage; 65 bad input;
69 kextkit not built or a tool missing; 70 a measurement failed (a load failed, a daemon did not boot).
EOF
}

die_usage() {
    echo "run-process-benchmarks: $1" >&2
    echo "run 'benchmarks/run-process-benchmarks.sh -h' for help" >&2
    exit 64
}

die() {
    status=$1
    shift
    echo "run-process-benchmarks: $*" >&2
    exit "$status"
}

is_count() {
    case $1 in
        '' | *[!0-9]*) return 1 ;;
        *) [ "$1" -ge "${2:-1}" ] ;;
    esac
}

load_iterations=${LOAD_ITERATIONS:-5}
load_warmups=${LOAD_WARMUPS:-1}
stat_runs=${STAT_RUNS:-30}
felix_iterations=${FELIX_ITERATIONS:-5}
seed=${SEED:-42}
verify=${VERIFY:-0}
stat_timer=${STAT_TIMER:-}
warm_iterations=${WARM_ITERATIONS:-5}
daemon_java_opts=${DAEMON_JAVA_OPTS:-}

while getopts 'l:w:r:s:f:S:t:J:Vh' opt; do
    case $opt in
        l) load_iterations=$OPTARG ;;
        w) load_warmups=$OPTARG ;;
        r) warm_iterations=$OPTARG ;;
        J) daemon_java_opts=$OPTARG ;;
        s) stat_runs=$OPTARG ;;
        f) felix_iterations=$OPTARG ;;
        S) seed=$OPTARG ;;
        t) stat_timer=$OPTARG ;;
        V) verify=1 ;;
        h) usage; exit 0 ;;
        *) die_usage "unknown option" ;;
    esac
done
shift $((OPTIND - 1))

[ $# -le 2 ] || die_usage "too many arguments: expected at most BUNDLEGRAPH_JAR and KEXT_DIR"
bundlegraph=${1:-${BUNDLEGRAPH_JAR:-}}
kext_dir=${2:-${KEXT_DIR:-}}
[ -n "$bundlegraph" ] || die_usage "no bundlegraph jar: pass BUNDLEGRAPH_JAR as the first argument or set BUNDLEGRAPH_JAR"
[ -n "$kext_dir" ] || die_usage "no kext folder: pass KEXT_DIR as the second argument or set KEXT_DIR"
is_count "$load_iterations" || die_usage "-l: expected a count of 1 or more, found '$load_iterations'"
is_count "$load_warmups" 0 || die_usage "-w: expected a count of 0 or more, found '$load_warmups'"
is_count "$warm_iterations" 0 || die_usage "-r: expected a count of 0 or more, found '$warm_iterations'"
is_count "$stat_runs" || die_usage "-s: expected a count of 1 or more, found '$stat_runs'"
is_count "$felix_iterations" || die_usage "-f: expected a count of 1 or more, found '$felix_iterations'"
is_count "$seed" 0 || die_usage "-S: expected a non-negative seed, found '$seed'"
[ -f "$bundlegraph" ] || die 65 "bundlegraph jar $bundlegraph does not exist (build it: cd tools/bundlegraph && mvn -q -B package)"
[ -d "$kext_dir/gen.k0.kext" ] || die 65 "$kext_dir holds no gen.k0.kext (write it: java -jar $bundlegraph kext --bundles 1000 --out $kext_dir)"
case $stat_timer in
    '') if command -v hyperfine >/dev/null 2>&1; then stat_timer=hyperfine; else stat_timer=loop; fi ;;
    hyperfine) command -v hyperfine >/dev/null 2>&1 || die 69 "-t hyperfine: hyperfine is not installed" ;;
    loop) ;;
    *) die_usage "-t: expected hyperfine or loop, found '$stat_timer'" ;;
esac

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P) || exit 69
kextkit=${KEXTKIT:-$(cd -P -- "$here/.." && pwd -P)/bin/kextkit}
[ -x "$kextkit" ] || die 69 "no kextkit launcher at $kextkit"
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
command -v "$java" >/dev/null 2>&1 || die 69 "no java ($java)"
case $(date +%s%N) in
    *N) die 69 "date +%s%N does not give nanoseconds here (GNU date is needed)" ;;
esac

kext_dir=$(cd -P -- "$kext_dir" && pwd -P) || die 65 "cannot enter $kext_dir"
# The kexts, in the order a shell glob names them: what 'kextload DIR/*.kext' sends.
set -- "$kext_dir"/gen.k*.kext
bundles=$#

# ---------------------------------------------------------------------------------------------
# Scratch space, the daemon's socket, and cleaning up whatever happens.

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kextkit-bench.XXXXXX") || die 70 "cannot create a temporary folder"
chmod 700 "$tmp"
sock=$tmp/kernel.sock
pidfile=$tmp/kernel.pid
daemon_log=$tmp/kernel.log
# An empty user file: the measured kernel is the default one, whatever ~/.kextkit says.
: >"$tmp/kextkit.properties"
KEXTKIT_CONFIG=$tmp/kextkit.properties
KEXTKIT_SOCKET=$sock
export KEXTKIT_CONFIG KEXTKIT_SOCKET
unset KEXTKIT_OPTS

stop_daemon() {
    if [ -S "$sock" ]; then
        "$kextkit" shutdown >/dev/null 2>&1
    fi
    # A daemon that did not answer: stop it by the pid it wrote, if that process is still our daemon.
    if [ -f "$pidfile" ]; then
        pid=$(cat "$pidfile" 2>/dev/null)
        case $pid in
            '' | *[!0-9]*) ;;
            *)
                if ps -p "$pid" -o args= 2>/dev/null | grep -q 'org.kextkit.harness.daemon.KernelDaemon'; then
                    kill "$pid" 2>/dev/null
                    i=0
                    while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null; do
                        sleep 0.1
                        i=$((i + 1))
                    done
                fi
                ;;
        esac
        rm -f "$pidfile"
    fi
}

cleanup() {
    trap - EXIT INT TERM HUP
    stop_daemon
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

fail() {
    echo "run-process-benchmarks: $*" >&2
    if [ -f "$daemon_log" ]; then
        echo "--- last lines of the daemon's log ($daemon_log):" >&2
        tail -n 20 "$daemon_log" | cut -c1-300 >&2
    fi
    exit 70
}

loadavg() {
    if [ -r /proc/loadavg ]; then
        cut -d' ' -f1-3 /proc/loadavg
    else
        uptime | sed 's/.*load average[s]*: *//; s/,//g'
    fi
}

now_ns() {
    date +%s%N
}

# Print the median of the numbers on standard input, one a line.
median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ms() {
    # nanoseconds (integer) to milliseconds, one decimal
    awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e6 }'
}

boot_daemon() {
    "$kextkit" boot ${daemon_java_opts:+--set "daemon.java-options=$daemon_java_opts"} >"$tmp/boot.out" 2>&1 || {
        cat "$tmp/boot.out" >&2
        fail "bin/kextkit boot failed"
    }
}

# Check that kextstat answers and lists the expected number of generated kexts.
check_loaded() {
    expected=$1
    "$kextkit" kextstat >"$tmp/kextstat.out" 2>"$tmp/kextstat.err" || {
        cat "$tmp/kextstat.err" >&2
        fail "kextstat failed"
    }
    found=$(grep -c ' gen\.k[0-9][0-9]* (' "$tmp/kextstat.out")
    [ "$found" -eq "$expected" ] || fail "kextstat lists $found generated kexts, expected $expected"
}

# Time a command given as arguments, output discarded, STAT_RUNS times; print the median in ms.
time_runs() {
    label=$1
    shift
    if [ "$stat_timer" = hyperfine ]; then
        cmdline=
        for word in "$@"; do
            cmdline="$cmdline '$word'"
        done
        hyperfine -N --style basic --warmup 3 --runs "$stat_runs" --export-json "$tmp/$label.json" "$cmdline" \
            >"$tmp/$label.hyperfine" 2>&1 || {
            cat "$tmp/$label.hyperfine" >&2
            fail "hyperfine: $* failed"
        }
        sed -n 's/.*"median": *\([0-9.eE+-]*\).*/\1/p' "$tmp/$label.json" | head -n 1 | awk '{ printf "%.1f", $1 * 1000 }'
    else
        i=0
        while [ $i -lt 3 ]; do
            "$@" >/dev/null 2>&1 || fail "$* failed"
            i=$((i + 1))
        done
        : >"$tmp/$label.times"
        i=0
        while [ $i -lt "$stat_runs" ]; do
            t0=$(now_ns)
            "$@" >/dev/null 2>&1
            status=$?
            t1=$(now_ns)
            [ $status -eq 0 ] || fail "$* exited with status $status"
            echo $((t1 - t0)) >>"$tmp/$label.times"
            i=$((i + 1))
        done
        ms "$(median <"$tmp/$label.times")"
    fi
}

# ---------------------------------------------------------------------------------------------

java_version=$("$java" -version 2>&1 | sed -n 's/^.*version "\([^"]*\)".*$/\1/p' | head -n 1)
cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
echo "kextkit process benchmarks: $bundles kexts in $kext_dir, seed $seed"
echo "date $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -sm), $cpus cpus, Java $java_version, load average $(loadavg)"
echo "kextkit: $kextkit ($(cd "$(dirname -- "$kextkit")/.." && git rev-parse --short HEAD 2>/dev/null || echo 'not a git tree'))"
echo

if [ "$verify" = 1 ]; then
    echo "== checking $kext_dir against bundlegraph kext --bundles $bundles --seed $seed"
    "$java" -jar "$bundlegraph" kext --bundles "$bundles" --seed "$seed" --out "$tmp/verify" >"$tmp/verify.out" 2>&1 || {
        cat "$tmp/verify.out" >&2
        die 70 "bundlegraph kext failed"
    }
    sed -n 's/^graph: /graph: /p' "$tmp/verify.out"
    diff -r -q "$tmp/verify" "$kext_dir" >"$tmp/verify.diff" 2>&1 || {
        head -n 20 "$tmp/verify.diff" >&2
        die 65 "$kext_dir is not bundlegraph's output for $bundles bundles and seed $seed"
    }
    rm -rf "$tmp/verify"
    echo "identical"
    echo
fi

# (a) Felix ------------------------------------------------------------------------------------
felix_load_before=$(loadavg)
echo "== Felix: java -jar $bundlegraph felix --bundles $bundles --iterations $felix_iterations --seed $seed (load average $felix_load_before)"
# shellcheck disable=SC2086 # FELIX_JAVA_OPTS is a list of options.
"$java" ${FELIX_JAVA_OPTS:-} -jar "$bundlegraph" felix --bundles "$bundles" --iterations "$felix_iterations" --seed "$seed" \
    >"$tmp/felix.out" 2>&1 || {
    cat "$tmp/felix.out" >&2
    die 70 "the Felix measurement failed"
}
cat "$tmp/felix.out"
felix_total=$(awk '/^total \(install\+resolve\+link\)/ { print $(NF - 1) }' "$tmp/felix.out")
felix_rl=$(awk '/^resolve\+link/ { print $(NF - 1) }' "$tmp/felix.out")
[ -n "$felix_total" ] || die 70 "no 'total (install+resolve+link)' row in Felix's output"
echo

# (b) kextload into a freshly booted daemon -------------------------------------------------
# A first daemon, for the client's class-data archive (the first client run that reaches a kernel
# writes it, docs/daemon.md) and for kextstat against a kernel as booted. Then one fresh daemon per
# kextload iteration: its kextload is the first command that daemon runs.
boot_daemon
check_loaded 0
stat_fresh_load_before=$(loadavg)
echo "== kextkit kextstat, whole client process, freshly booted kernel ($(wc -l <"$tmp/kextstat.out") lines): $stat_runs runs with $stat_timer (load average $stat_fresh_load_before)"
stat_empty=$(time_runs kextstat-fresh "$kextkit" kextstat) || exit 70
"$kextkit" shutdown >/dev/null 2>&1 || fail "shutdown failed"
echo

# Run the timed kextload of every kext, check it, and append its times to $1.times and $1.daemon.
timed_kextload() {
    t0=$(now_ns)
    "$kextkit" kextload "$@" >"$tmp/kextload.out" 2>&1
    status=$?
    t1=$(now_ns)
    if [ $status -ne 0 ] || [ -s "$tmp/kextload.out" ]; then
        head -n 20 "$tmp/kextload.out" >&2
        fail "kextload exited with status $status (output above, if any); a failing load is not a measurement"
    fi
    check_loaded "$bundles"
    # The daemon logs each request with the time it took (docs/daemon.md).
    daemon_ms=$(grep ': kextload ' "$daemon_log" | tail -n 1 | sed -n 's/.*-> [0-9]* (\([0-9]*\) ms)$/\1/p')
    elapsed=$((t1 - t0))
}

load_load_before=$(loadavg)
echo "== kextkit kextload of $bundles kexts, whole client process, a freshly booted daemon each iteration (load average $load_load_before)"
: >"$tmp/kextload.times"
: >"$tmp/kextload.daemon"
iteration=1
total_iterations=$((load_warmups + load_iterations))
while [ $iteration -le $total_iterations ]; do
    boot_daemon
    timed_kextload "$@"
    if [ $iteration -le $load_warmups ]; then
        label="warm-up $iteration"
    else
        label="iteration $((iteration - load_warmups))"
        echo "$elapsed" >>"$tmp/kextload.times"
        echo "${daemon_ms:-0}" >>"$tmp/kextload.daemon"
    fi
    echo "$label: kextload $(ms $elapsed) ms (daemon ${daemon_ms:-?} ms), exit 0, $bundles kexts loaded, load average $(loadavg)"
    if [ $iteration -lt $total_iterations ]; then
        "$kextkit" shutdown >/dev/null 2>&1 || fail "shutdown failed"
    fi
    iteration=$((iteration + 1))
done
kextload_ms=$(ms "$(median <"$tmp/kextload.times")")
kextload_daemon_ms=$(median <"$tmp/kextload.daemon")
echo

# (c) kextstat against the kernel with every kext loaded ----------------------------------------
stat_load_before=$(loadavg)
echo "== kextkit kextstat, whole client process, kernel with $bundles kexts loaded ($(wc -l <"$tmp/kextstat.out") lines): $stat_runs runs with $stat_timer (load average $stat_load_before)"
stat_loaded=$(time_runs kextstat-loaded "$kextkit" kextstat) || exit 70
echo

# (b') kextload into the same daemon again, after unloading everything -------------------------
# Not the target's measure: it shows the same load in a daemon whose JVM has run it before. A
# generated kext depends only on kexts with lower numbers, so unloading from the highest number
# down never meets a kext still in use.
warm_ms=
warm_load_before=
warm_daemon_ms=
if [ "$warm_iterations" -gt 0 ]; then
    warm_load_before=$(loadavg)
    echo "== kextkit kextload of $bundles kexts again into the same daemon after kextunload of all of them (load average $warm_load_before)"
    unload_args=$(for kext in "$@"; do
        id=${kext##*/}
        id=${id%.kext}
        echo "${id#gen.k} $id"
    done | sort -n -r | awk '{ printf " -b %s", $2 }')
    : >"$tmp/warm.times"
    : >"$tmp/warm.daemon"
    iteration=1
    while [ $iteration -le "$warm_iterations" ]; do
        # shellcheck disable=SC2086 # a list of -b ID options, IDs without spaces
        "$kextkit" kextunload $unload_args >"$tmp/kextunload.out" 2>&1 || {
            head -n 20 "$tmp/kextunload.out" >&2
            fail "kextunload of every generated kext failed"
        }
        check_loaded 0
        timed_kextload "$@"
        echo "$elapsed" >>"$tmp/warm.times"
        echo "${daemon_ms:-0}" >>"$tmp/warm.daemon"
        echo "reload $iteration: kextload $(ms $elapsed) ms (daemon ${daemon_ms:-?} ms), exit 0, $bundles kexts loaded, load average $(loadavg)"
        iteration=$((iteration + 1))
    done
    warm_ms=$(ms "$(median <"$tmp/warm.times")")
    warm_daemon_ms=$(median <"$tmp/warm.daemon")
    echo
fi

# A JVM that prints one line, for scale (same start-up options as the client).
hello_ms=
if command -v javac >/dev/null 2>&1 || [ -x "${JAVA_HOME:-/nonexistent}/bin/javac" ]; then
    javac=javac
    [ -n "${JAVA_HOME:-}" ] && javac=$JAVA_HOME/bin/javac
    mkdir "$tmp/hello"
    printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' >"$tmp/hello/Hello.java"
    if "$javac" -d "$tmp/hello" "$tmp/hello/Hello.java" >/dev/null 2>&1; then
        hello_ms=$(time_runs hello "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -cp "$tmp/hello" Hello) || exit 70
    fi
fi
end_load=$(loadavg)

# (d) shut down (the trap also does this on any exit) -------------------------------------------
stop_daemon

# (e) summary -----------------------------------------------------------------------------------
ratio() {
    awk -v a="$1" -v b="$felix_total" 'BEGIN { printf "%.2f", a / b }'
}
verdict() {
    # $1 value, $2 limit
    awk -v v="$1" -v l="$2" 'BEGIN { if (v <= l) print "met"; else print "MISSED" }'
}
row() {
    printf '%-72s %10s   %s\n' "$1" "$2" "$3"
}
ratio_fresh=$(ratio "$kextload_ms")
echo
echo "== summary: $bundles kexts, $(date -u +%Y-%m-%d), $cpus cpus, Java $java_version${daemon_java_opts:+, daemon JVM options: $daemon_java_opts}"
row "measure (medians)" "" "target"
row "Felix install+resolve+link, in one JVM ($felix_iterations iteration(s))" "$felix_total ms" "(its resolve+link alone: $felix_rl ms)"
row "kextload of $bundles kexts, whole process, fresh daemon ($load_iterations iteration(s))" "$kextload_ms ms" "(in the daemon: $kextload_daemon_ms ms)"
row "  ratio kextload / Felix" "$ratio_fresh" "<= 0.50: $(verdict "$ratio_fresh" 0.50)"
if [ -n "$warm_ms" ]; then
    ratio_warm=$(ratio "$warm_ms")
    row "kextload again into the same daemon after unloading ($warm_iterations iteration(s))" "$warm_ms ms" "(in the daemon: $warm_daemon_ms ms)"
    row "  ratio reload / Felix (not the target's measure)" "$ratio_warm" ""
fi
row "kextstat, freshly booted kernel, whole process ($stat_runs runs)" "$stat_empty ms" "<= 100 ms: $(verdict "$stat_empty" 100)"
row "kextstat, $bundles kexts loaded, whole process ($stat_runs runs)" "$stat_loaded ms" "<= 100 ms: $(verdict "$stat_loaded" 100)"
if [ -n "$hello_ms" ]; then
    row "for scale: a JVM printing one line ($stat_runs runs)" "$hello_ms ms" ""
fi
echo "load average (1, 5, 15 min): Felix start $felix_load_before; kextstat (fresh) start $stat_fresh_load_before;" \
    "kextload start $load_load_before; kextstat (loaded) start $stat_load_before;" \
    "${warm_load_before:+reloads start $warm_load_before; }end $end_load"
