#!/usr/bin/env bash
# Regenerates benchmarks/RESULTS.md in one go: builds what is measured, generates the inputs, runs every
# benchmark next to its baseline, profiles, and writes the report.
#
#   benchmarks/run.sh           the full run (about 15-20 minutes on 2 cores; run it on a quiet machine)
#   benchmarks/run.sh --quick   tiny inputs and one round each: checks that the script works, figures meaningless;
#                               writes benchmarks/target/RESULTS-quick.md and leaves RESULTS.md alone
#
# A step that fails is recorded and the run goes on; the report marks its rows "missing" and lists the failure.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-full}
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
RESULTS=$ROOT/benchmarks/target/bench-results
DATA=$ROOT/benchmarks/target/bench-data
JAR=$ROOT/benchmarks/target/benchmarks.jar
AGENT_JAR=$ROOT/windows-agent/target/inventory-agent.jar
PROPS=(-Dlogback.configurationFile=benchmarks-logback.xml -Dbench.data="$DATA" -Dbench.results="$RESULTS")

if [ "$MODE" = "--quick" ]; then
    REPORT=$ROOT/benchmarks/target/RESULTS-quick.md
    JMH_OPTS=(-f 1 -wi 1 -i 1 -w 1s -r 1s -p export=tiny -p programs=500)
    EXPORTS=(tiny); BIG_MB=8; AGENT_ROUNDS=1
    GATEWAY=(200 1); WRITER=(200 20 10 4 1 80); COLD_ROUNDS=1; E2E=(2 1)
else
    REPORT=$ROOT/benchmarks/RESULTS.md
    JMH_OPTS=()
    EXPORTS=(full-5mb full-20mb programs-25k programs-100k); BIG_MB=200; AGENT_ROUNDS=10
    GATEWAY=(10000 5); WRITER=(10000 1000 10 4 2 800); COLD_ROUNDS=5; E2E=(20 3)
fi

rm -rf "$RESULTS"
mkdir -p "$RESULTS" "$DATA"
cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g' > "$RESULTS/loadavg-start.txt"

step() {
    local name=$1
    shift
    echo "== $name ($(date -u +%H:%M:%S))"
    if ! "$@" > "$RESULTS/$name.log" 2>&1; then
        echo "$name: exit $? (log: benchmarks/target/bench-results/$name.log)" >> "$RESULTS/failures.txt"
        tail -5 "$RESULTS/$name.log"
    fi
}

# Generated inputs are kept between runs while the generator is unchanged: the 200 MB export takes a minute.
STAMP=$(cat benchmarks/src/main/java/io/inventory/benchmarks/registry/{RegExportGenerator,Exports}.java | sha1sum)
if [ "$(cat "$DATA/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    rm -rf "$DATA"
    mkdir -p "$DATA"
    echo "$STAMP" > "$DATA/.stamp"
fi

echo "== build ($(date -u +%H:%M:%S))"
./mvnw -B -q -o -pl benchmarks,windows-agent -am package -Dmaven.test.skip=true || exit 1

step generate java "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.registry.ExportsGeneration "$BIG_MB" \
    "${EXPORTS[@]}"

step jmh java -jar "$JAR" 'RegExportBenchmark|CompressionBenchmark' "${JMH_OPTS[@]}" \
    -jvmArgsAppend "-Xmx3g ${PROPS[*]}" -rf csv -rff "$RESULTS/jmh.csv"

if [ "$MODE" = "--quick" ]; then
    step parse-profile java -Xmx3g "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.registry.RegExportProfile tiny 5
else
    step parse-profile java -Xmx3g "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.registry.RegExportProfile \
        full-5mb 30
    step parse-profile-programs java -Xmx3g "${PROPS[@]}" -cp "$JAR" \
        io.inventory.benchmarks.registry.RegExportProfile programs-100k 3
fi

step agent java "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.agent.AgentProcessBenchmark "$AGENT_JAR" \
    "$DATA/$([ "$MODE" = "--quick" ] && echo tiny || echo full-5mb).reg" "$DATA/full-${BIG_MB}mb.reg" "$AGENT_ROUNDS"

step gateway java -Xmx2g "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.gateway.GatewayBenchmark "${GATEWAY[@]}"

step writer java -Xmx3g "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.writer.WriterBenchmark "${WRITER[@]}"

step coldstart java -Xmx1g "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.coldstart.ColdStartBenchmark \
    "$ROOT" "$COLD_ROUNDS"

step e2e java -Xmx2g "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.pipeline.EndToEndBenchmark "${E2E[@]}"

echo "== report ($(date -u +%H:%M:%S))"
java "${PROPS[@]}" -cp "$JAR" io.inventory.benchmarks.report.ResultsReport "$REPORT" \
    "$ROOT/benchmarks/analysis.md" "benchmarks/run.sh${1:+ $1}" "$STARTED"
echo "wrote $REPORT"
