#!/bin/sh
# kextcheck throughput: bin/kextkit kextcheck over N copies of the EchoDriver sample (each under its own
# bundle identifier), once per isolation mode, timed as whole processes; prints kexts per second.
#
#   benchmarks/kextcheck-throughput.sh [N]      (N defaults to 100)
#
# Needs the built kextkit and sample: mvn -B -q package -DskipTests -pl kext-samples/echo-driver,families/pci -am
# Every run must exit 0 (each copy runs clean); the script stops otherwise.
set -eu
root=$(cd -P -- "$(dirname -- "$0")/.." && pwd -P)
n=${1:-100}
sample=$root/kext-samples/echo-driver/target/EchoDriver.kext
[ -d "$sample" ] || { echo "kextcheck-throughput: $sample is not built; see the header of $0" >&2; exit 69; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kextcheck-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
i=1
while [ "$i" -le "$n" ]; do
    copy=$work/kexts/EchoDriver$i.kext
    mkdir -p "$work/kexts"
    cp -R "$sample" "$copy"
    # A distinct CFBundleIdentifier for each copy (its personality's CFBundleIdentifier follows it).
    sed -i "s/org\.kextkit\.sample\.EchoDriver</org.kextkit.sample.EchoDriver$i</g" "$copy/Contents/Info.plist"
    i=$((i + 1))
done
for mode in kernel process; do
    start=$(date +%s.%N)
    "$root/bin/kextkit" kextcheck -q -e --isolation "$mode" "$work/kexts"
    end=$(date +%s.%N)
    echo "$mode $n $start $end" | awk '{ s = $4 - $3; printf "--isolation %-7s %d kexts in %6.2f s: %5.1f kexts/s\n", $1, $2, s, $2 / s }'
done
