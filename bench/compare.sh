#!/usr/bin/env bash
# Sluice vs Apache Kafka on this machine, in the same run, workload by workload, alternating.
# Not part of CI. Needs a built tree (./mvnw -B -ntp -DskipTests package) and Apache Kafka's
# scripts in ../shared/bench/kafka (read its README.md).
#
#   bench/compare.sh                      every workload, figures and ratios printed at the end
#   RECORDS_1K=2000000 bench/compare.sh   more records (defaults suit a loaded 2-core box)
#
# Environment (all optional):
#   BENCH_WORK        working directory (default /tmp/sluice-compare-<pid>): clusters, raw outputs
#   KAFKA_BENCH_HOME  a writable copy of ../shared/bench/kafka with lib/ set up; without it the
#                     scripts are copied into $BENCH_WORK/kafka and ./setup.sh fetches Kafka there
#   RECORDS_1K, RECORDS_100, RECORDS_WARMUP, RECORDS_FIXED (at 10,000 rec/s), LOW_RATE and
#   RECORDS_LOW_RATE (a second fixed rate), E2E_RECORDS, FAILOVER_SECONDS, FAILOVER_RATE
#   ONLY              run only these workloads (comma-separated): main (acks=all 1 KiB), leader,
#                     small (100 B), consume, fixed, e2e, rss, failover, rf1; default all
#   STEADY_FROM       unthrottled workloads report steady state without the first 1/STEADY_FROM of
#                     their records (each tool's --warmup-records; default 5), and the whole run too;
#                     the consumer reads its topic a second time, in a new group, for its steady state
#   ROUNDS            rounds of the main workload (default 1), alternating which system goes first
#   SLUICE_BROKER_OPTS  extra JVM options of the Sluice nodes (e.g. a JFR recording)
#   SLUICE_CLIENT_OPTS  extra JVM options of 'sluice perf produce' (e.g. a JFR recording)
#   BROKER_HEAP       heap of every broker of both systems (default -Xms1g -Xmx1g, Kafka's bench)
#   KEEP_DATA         1 keeps both clusters' data directories in $BENCH_WORK after the run; by
#                     default they are deleted on exit (raw outputs and results.tsv stay)
# Every producer workload also reports CPU per record over the whole run: the brokers' (user + system
# time from /proc/<pid>/stat, all nodes) and the producer tool's (its process and threads).
# Ports: Sluice 29092-29097, Kafka 29191-29193 (controllers 29291-29293), all on 127.0.0.1.
# Every process it starts is stopped on exit, by PID (cluster scripts), even on failure.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KAFKA_SRC="$REPO/../shared/bench/kafka"
WORK="${BENCH_WORK:-/tmp/sluice-compare-$$}"
RECORDS_1K="${RECORDS_1K:-600000}"
RECORDS_100="${RECORDS_100:-2000000}"
RECORDS_WARMUP="${RECORDS_WARMUP:-300000}"
STEADY_FROM="${STEADY_FROM:-5}"   # unthrottled workloads: steady state leaves out the first 1/STEADY_FROM
RECORDS_FIXED="${RECORDS_FIXED:-200000}"
LOW_RATE="${LOW_RATE:-500}"
RECORDS_LOW_RATE="${RECORDS_LOW_RATE:-15000}"
E2E_RECORDS="${E2E_RECORDS:-2000}"
FAILOVER_SECONDS="${FAILOVER_SECONDS:-30}"
FAILOVER_RATE="${FAILOVER_RATE:-100}"
ONLY="${ONLY:-}"   # a comma-separated subset of: main,leader,small,consume,fixed,e2e,rss,failover,rf1
BROKER_HEAP="${BROKER_HEAP:--Xms1g -Xmx1g}"
SLUICE_PORT=29092
SLUICE="$REPO/bin/sluice"
export KB_BROKER_PORT_BASE=29190 KB_CONTROLLER_PORT_BASE=29290 KAFKA_BENCH_DIR="$WORK/kafka-state"
export KB_BROKER_HEAP="$BROKER_HEAP"
mkdir -p "$WORK/out"
RESULTS="$WORK/results.tsv"
: >"$RESULTS"

# ---------------------------------------------------------------- Kafka's scripts
KH="${KAFKA_BENCH_HOME:-}"
if [[ -z "$KH" ]]; then
  if compgen -G "$KAFKA_SRC/lib/.complete-*" >/dev/null; then
    KH="$KAFKA_SRC"
  else   # the shared copy is read-only: set Kafka up in a private copy
    KH="$WORK/kafka"
    [[ -d "$KH" ]] || { cp -r "$KAFKA_SRC" "$KH"; chmod -R u+w "$KH"; }
    "$KH/setup.sh"
  fi
fi
# shellcheck source=/dev/null
source "$KH/env.sh"    # kb_tool, KB_STATE

want() { [[ -z $ONLY || ",$ONLY," == *",$1,"* ]]; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- clusters
sluice_nodes=0 kafka_nodes=0
sluice_start() {  # sluice_start N
  log "sluice: start $1 node(s)"
  SLUICE_JAVA_OPTS="$BROKER_HEAP ${SLUICE_BROKER_OPTS:-}" \
    "$SLUICE" cluster start --nodes "$1" --dir "$WORK/sluice-$1" --base-port "$SLUICE_PORT" >"$WORK/out/sluice-start-$1.txt"
  sluice_nodes=$1
}
sluice_stop() {
  ((sluice_nodes > 0)) || return 0
  log "sluice: stop"
  "$SLUICE" cluster stop --dir "$WORK/sluice-$sluice_nodes" >>"$WORK/out/sluice-stop.txt" 2>&1 || true
  sluice_nodes=0
}
kafka_start() {
  log "kafka: start $1 node(s)"
  "$KH/cluster.sh" start "$1" >"$WORK/out/kafka-start-$1.txt"
  kafka_nodes=$1
}
kafka_stop() {
  ((kafka_nodes > 0)) || return 0
  log "kafka: stop"
  "$KH/cluster.sh" stop >>"$WORK/out/kafka-stop.txt" 2>&1 || true
  kafka_nodes=0
}
# On exit: stop both clusters, then delete their data (several GB per run) unless KEEP_DATA=1.
finish() {
  sluice_stop
  kafka_stop
  [[ ${KEEP_DATA:-0} == 1 ]] || rm -rf "$WORK"/sluice-[0-9]* "$KAFKA_BENCH_DIR/data"
}
trap finish EXIT
sluice_bootstrap() { echo "127.0.0.1:$SLUICE_PORT"; }
kafka_bootstrap() { kb_bootstrap "$kafka_nodes"; }

# sluice_pid NODE / kafka_pid NODE: the PID of a node's process. Sluice's come from the state file
# 'sluice cluster start' writes (lines "node pid config-file"), read directly so that no JVM starts
# around a measurement; sluice_pids lists the nodes still running (not zombies).
sluice_state() { grep -v '^#' "$WORK/sluice-$sluice_nodes/cluster.state"; }
sluice_pid() { sluice_state | awk -v n="$1" '$1 == n {print $2}'; }
kafka_pid() { cat "$KB_STATE/pids/node-$1.pid"; }
sluice_pids() {
  local pid
  for pid in $(sluice_state | awk '{print $2}'); do
    # a killed node stays in /proc as a zombie until something reaps it
    [[ -r /proc/$pid/stat && $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] && echo "$pid"
  done
  return 0
}
kafka_pids() { cat "$KB_STATE"/pids/node-*.pid; }

# ---------------------------------------------------------------- topics
create_topic() {  # create_topic SYS TOPIC PARTITIONS RF MIN_ISR
  local sys=$1 topic=$2 p=$3 rf=$4 isr=$5
  if [[ $sys == sluice ]]; then
    "$SLUICE" topics create --bootstrap-server "$(sluice_bootstrap)" --topic "$topic" --partitions "$p" \
      --replication-factor "$rf" --config min.insync.replicas="$isr" >/dev/null
  else
    KB_TOOL_TIMEOUT=60 kb_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kafka_bootstrap)" \
      --create --topic "$topic" --partitions "$p" --replication-factor "$rf" \
      --config min.insync.replicas="$isr" >/dev/null
  fi
  local t
  for ((t = 0; t < 30; t++)); do   # metadata reaches every broker a moment after the create
    [[ -n "$(leader_of "$sys" "$topic")" ]] && return 0
    sleep 1
  done
  log "$sys: $topic has no leader after 30 tries"
}
leader_of() {  # leader_of SYS TOPIC: node id leading partition 0
  if [[ $1 == sluice ]]; then
    "$SLUICE" topics describe --bootstrap-server "$(sluice_bootstrap)" --topic "$2" 2>/dev/null
  else
    KB_TOOL_TIMEOUT=60 kb_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(kafka_bootstrap)" \
      --describe --topic "$2" 2>/dev/null
  fi | tr '\t' '\n' | sed -n 's/^ *Leader: *\([0-9][0-9]*\).*/\1/p' | head -1
}

# ---------------------------------------------------------------- tools
# produce SYS OUTFILE TOPIC RECORDS SIZE ACKS THROUGHPUT WARMUP  (acks: all or leader)
produce() {
  local sys=$1 out=$2 topic=$3 n=$4 size=$5 acks=$6 rate=$7 warm=$8
  if [[ $sys == sluice ]]; then
    SLUICE_JAVA_OPTS="${SLUICE_CLIENT_OPTS:-}" "$SLUICE" perf produce --bootstrap-server "$(sluice_bootstrap)" --topic "$topic" --num-records "$n" \
      --record-size "$size" --throughput "$rate" --acks "$acks" --batch-size 16384 --linger-ms 5 \
      --warmup-records "$warm" >"$out" 2>&1
  else
    [[ $acks == leader ]] && acks=1
    kb_tool org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$(kafka_bootstrap)" --topic "$topic" \
      --num-records "$n" --record-size "$size" --throughput "$rate" --warmup-records "$warm" \
      --command-property acks="$acks" --command-property batch.size=16384 --command-property linger.ms=5 \
      >"$out" 2>&1
  fi
}
# summary OUTFILE: "rec/s MB/s avg max p50 p95 p99 p999" of the last (steady state if any) summary line
summary() {
  local line
  line="$(grep '50th' "$1" | grep 'steady state' | tail -1 || true)"
  [[ -n $line ]] || line="$(grep '50th' "$1" | tail -1 || true)"
  [[ -n $line ]] || { echo "no summary line in $1:" >&2; tail -5 "$1" >&2; echo "0 0 0 0 0 0 0 0"; return; }
  echo "$line" | sed -E 's/.*sent, ([0-9.]+) records\/sec \(([0-9.]+) MB\/sec\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, ([0-9.]+) ms 50th, ([0-9.]+) ms 95th, ([0-9.]+) ms 99th, ([0-9.]+) ms 99.9th.*/\1 \2 \3 \4 \5 \6 \7 \8/'
}
# whole_run OUTFILE: records/s over the whole run (the summary line without 'steady state')
whole_run() {
  grep '50th' "$1" | grep -v 'steady state' | tail -1 | sed -E 's/.*sent, ([0-9.]+) records\/sec.*/\1/' || true
}
consume() {  # consume SYS OUTFILE TOPIC RECORDS [GROUP [TOOL OPTION...]]
  local sys=$1 out=$2 topic=$3 n=$4 group=${5:-grp-$3}
  shift $(($# < 5 ? $# : 5))
  if [[ $sys == sluice ]]; then
    "$SLUICE" perf consume --bootstrap-server "$(sluice_bootstrap)" --topic "$topic" --num-records "$n" \
      --timeout 30000 --group "$group" "$@" >"$out" 2>&1
  else
    kb_tool org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$(kafka_bootstrap)" --topic "$topic" \
      --num-records "$n" --timeout 30000 --group "$group" "$@" >"$out" 2>&1
  fi
}
# steady_consume OUTFILE RECORDS: records/s over the progress lines (--show-detailed-stats, the same
# format from both tools) after the first one that has read 1/STEADY_FROM of RECORDS; each line's
# interval is its rebalance.time.ms + fetch.time.ms
steady_consume() {
  awk -F', ' -v from="$(($2 / STEADY_FROM))" '
    /^[0-9][0-9][0-9][0-9]-/ && NF == 10 {
      if (ref == "") { if ($5 >= from) ref = $5; next }
      ms += $7 + $8; last = $5
    }
    END { if (ms > 0) printf "%.1f\n", (last - ref) * 1000 / ms; else print 0 }' "$1"
}
e2e() {  # e2e SYS OUTFILE TOPIC RECORDS: one record in flight, acks=all, 1 KiB
  local sys=$1 out=$2 topic=$3 n=$4
  if [[ $sys == sluice ]]; then
    "$SLUICE" perf e2e --bootstrap-server "$(sluice_bootstrap)" --topic "$topic" --num-records "$n" \
      --record-size 1024 --acks all >"$out" 2>&1
  else
    kb_tool org.apache.kafka.tools.EndToEndLatency --bootstrap-server "$(kafka_bootstrap)" --topic "$topic" \
      --num-records "$n" --producer-acks all --record-size 1024 >"$out" 2>&1
  fi
}

# record WORKLOAD METRIC SYS VALUE
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$RESULTS"; }

# CPU accounting, to set each system's cost per record beside its rate:
# broker_cpu_ms SYS: user + system CPU of the running brokers so far, ms (from /proc/<pid>/stat)
broker_cpu_ms() {
  local pid ticks=0 t
  for pid in $("${1}_pids"); do
    t="$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
    ticks=$((ticks + t))
  done
  echo $((ticks * 1000 / CLK_TCK))
}
# tools_cpu: sets TOOLS_CPU_MS to the user + system CPU of this script's finished children (the
# client tools) so far, ms. The builtin 'times' must run in this shell, not in a subshell.
tools_cpu() {
  times >"$WORK/times.txt"
  TOOLS_CPU_MS="$(awk 'NR == 2 { ms = 0
      for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); ms += a[1] * 60000 + a[2] * 1000 }
      printf "%d\n", ms }' "$WORK/times.txt")"
}
CLK_TCK="$(getconf CLK_TCK)"

# run_produce SYS LABEL PARTITIONS RF MIN_ISR RECORDS SIZE ACKS RATE WARMUP
run_produce() {
  local sys=$1 label=$2 topic
  topic="$label-$sys-$RANDOM"
  create_topic "$sys" "$topic" "$3" "$4" "$5"
  log "$sys: $label ($6 x $7 B, acks=$8, throughput $9)"
  local brokers0 tools0 brokers_us tools_us
  brokers0="$(broker_cpu_ms "$sys")"
  tools_cpu
  tools0=$TOOLS_CPU_MS
  produce "$sys" "$WORK/out/$label-$sys.txt" "$topic" "$6" "$7" "$8" "$9" "${10}" \
    || log "$sys: $label: the producer exited with an error (see $WORK/out/$label-$sys.txt)"
  tools_cpu
  brokers_us=$((($(broker_cpu_ms "$sys") - brokers0) * 1000 / $6))
  tools_us=$(((TOOLS_CPU_MS - tools0) * 1000 / $6))
  read -r rps mbs avg max p50 p95 p99 p999 < <(summary "$WORK/out/$label-$sys.txt")
  log "$sys: $label: $rps rec/s $mbs MB/s p50 $p50 p99 $p99 p99.9 $p999 max $max ms;" \
    "CPU per record: brokers $brokers_us us, producer tool $tools_us us"
  record "$label" "rec/s" "$sys" "$rps"
  ((${10} > 0)) && record "$label" "rec/s whole run" "$sys" "$(whole_run "$WORK/out/$label-$sys.txt")"
  record "$label" "MB/s" "$sys" "$mbs"
  record "$label" "p50 ms" "$sys" "$p50"
  record "$label" "p99 ms" "$sys" "$p99"
  record "$label" "p99.9 ms" "$sys" "$p999"
  record "$label" "max ms" "$sys" "$max"
  record "$label" "brokers' CPU us/record (whole run)" "$sys" "$brokers_us"
  record "$label" "producer's CPU us/record" "$sys" "$tools_us"
  LAST_TOPIC=$topic
}

# both FIRST LABEL ARGS...: the same workload on both systems, FIRST going first
both() {
  local first=$1 second; shift
  second=$([[ $first == sluice ]] && echo kafka || echo sluice)
  run_produce "$first" "$@"; eval "TOPIC_$first=\$LAST_TOPIC"
  run_produce "$second" "$@"; eval "TOPIC_$second=\$LAST_TOPIC"
}

# failover SYS: SIGKILL partition 0's leader under a light acks=all load (FAILOVER_RATE rec/s, low
# enough that the backlog of the outage drains at once), once acknowledgements flow; the first
# 5 s of records are a warm-up left out, so the largest steady-state latency is the outage.
failover() {
  local sys=$1 topic="failover-$1-$RANDOM" leader pid ppid_ n=$((FAILOVER_SECONDS * FAILOVER_RATE)) t
  local out="$WORK/out/failover-$sys.txt"
  create_topic "$sys" "$topic" 1 3 2
  log "$sys: failover: $FAILOVER_RATE rec/s for ${FAILOVER_SECONDS}s, SIGKILL of the leader once records flow"
  produce "$sys" "$out" "$topic" "$n" 1024 all "$FAILOVER_RATE" $((FAILOVER_RATE * 5)) &
  ppid_=$!
  for ((t = 0; t < 120; t++)); do   # a progress line with acknowledged records
    grep -qE '^[1-9][0-9]* records sent' "$out" 2>/dev/null && break
    sleep 1
  done
  sleep 3
  leader="$(leader_of "$sys" "$topic")"
  pid="$("${sys}_pid" "$leader")"
  if [[ $sys == sluice ]]; then   # a killed metadata leader adds a Raft election to the outage
    log "sluice: metadata $("$SLUICE" cluster describe --bootstrap-server "$(sluice_bootstrap)" 2>/dev/null \
      | grep -m1 '^Controller:')"
  fi
  log "$sys: SIGKILL node $leader (PID $pid), leader of $topic-0"
  [[ -n $pid ]] && kill -KILL "$pid" || log "$sys: no leader PID found for $topic"
  wait "$ppid_" || log "$sys: failover producer exited with an error (see $WORK/out/failover-$sys.txt)"
  read -r rps mbs avg max p50 p95 p99 p999 < <(summary "$WORK/out/failover-$sys.txt")
  log "$sys: failover: max latency $max ms"
  record failover "max latency ms (~unavailability)" "$sys" "$max"
  record failover "failed records" "$sys" "$(grep -o '[0-9]* records failed' "$WORK/out/failover-$sys.txt" \
    | grep -o '^[0-9]*' || grep -c 'Exception' "$WORK/out/failover-$sys.txt" || true)"
}

rss() {  # rss SYS: record the largest and the total resident size of the running brokers, MiB
  local sys=$1 total=0 top=0 kb pid
  for pid in $("${sys}_pids"); do
    kb="$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")"
    total=$((total + kb)); ((kb > top)) && top=$kb
  done
  record rss "broker RSS max MiB" "$sys" "$((top / 1024))"
  record rss "brokers RSS total MiB" "$sys" "$((total / 1024))"
}

# ---------------------------------------------------------------- the run
log "machine: $(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB, $(java -version 2>&1 | head -1), kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
if want main || want leader || want small || want consume || want fixed || want e2e || want rss \
    || want failover; then
  sluice_start 3
  kafka_start 3
  # warm-up of both (JIT, page cache), discarded
  both sluice warmup 6 3 2 "$RECORDS_WARMUP" 1024 all -1 0
  if want consume; then
    # and of both consumer paths, discarded: each broker's Fetch path and group coordinator meet their
    # first consumer here (Kafka also creates __consumer_offsets for its first group: 2.5 s of
    # 'rebalance' when the measured run was the first)
    for sys in kafka sluice; do
      log "$sys: consumer warm-up, $RECORDS_WARMUP records of the warm-up topic (not counted)"
      consume "$sys" "$WORK/out/consume-warmup-$sys.txt" "$(eval echo "\$TOPIC_$sys")" "$RECORDS_WARMUP" \
        || log "$sys: the warm-up consumer exited with an error"
    done
  fi
  first=kafka
  for ((round = 1; round <= ${ROUNDS:-1}; round++)); do
    if want main || want consume; then
      label=all-1k; ((round > 1)) && label="all-1k-r$round"
      both "$first" "$label" 6 3 2 "$RECORDS_1K" 1024 all -1 $((RECORDS_1K / STEADY_FROM))
      TOPIC_CONSUME_sluice=$TOPIC_sluice TOPIC_CONSUME_kafka=$TOPIC_kafka
    fi
    first=$([[ $first == kafka ]] && echo sluice || echo kafka)
  done
  want leader && both sluice leader-1k 6 3 2 "$RECORDS_1K" 1024 leader -1 $((RECORDS_1K / STEADY_FROM))
  want small && both kafka all-100b 6 3 2 "$RECORDS_100" 100 all -1 $((RECORDS_100 / STEADY_FROM))
  if want consume; then
    for sys in sluice kafka; do
      log "$sys: consumer, $RECORDS_1K records of the all-1k topic"
      consume "$sys" "$WORK/out/consume-$sys.txt" "$(eval echo "\$TOPIC_CONSUME_$sys")" "$RECORDS_1K" \
        || log "$sys: the consumer exited with an error"
      IFS=', ' read -r _ _ _ _ mb mbs n nps reb ftime fmbs fnps \
        <<<"$(grep -E '^[0-9]{4}-' "$WORK/out/consume-$sys.txt" | tail -1)"
      log "$sys: consumer: $nps rec/s (fetch only $fnps rec/s, $fmbs MB/s, rebalance $reb ms)"
      record consume "rec/s (whole run)" "$sys" "$nps"
      record consume "fetch rec/s" "$sys" "$fnps"
      record consume "fetch MB/s" "$sys" "$fmbs"
    done
    # the same records again in a new group, with progress lines every 250 ms: the rate once the
    # first 1/STEADY_FROM are read (the client's JIT and the fetch sessions warm), as the producer rows'
    # steady state leaves out their first records
    for sys in kafka sluice; do
      log "$sys: consumer, steady state: $RECORDS_1K records again in a new group"
      out="$WORK/out/consume-steady-$sys.txt"
      consume "$sys" "$out" "$(eval echo "\$TOPIC_CONSUME_$sys")" "$RECORDS_1K" "grp-steady-$sys" \
        --show-detailed-stats --reporting-interval 250 || log "$sys: the consumer exited with an error"
      steady=$(steady_consume "$out" "$RECORDS_1K")
      log "$sys: consumer, steady state: $steady rec/s"
      record consume "rec/s steady (2nd read)" "$sys" "$steady"
    done
  fi
  if want fixed; then
    both kafka fixed-10k 6 3 2 "$RECORDS_FIXED" 1024 all 10000 $((RECORDS_FIXED / 5))
    # the same at a rate both sustain on a loaded machine
    # first once as a warm-up of both (its own rows, labelled): a broker meets paths here that the
    # unthrottled workloads seldom take (every request waits in a purgatory), and Sluice's brokers
    # were measured JIT-compiling them for about a minute
    both kafka "fixed-$LOW_RATE-warmup" 6 3 2 "$RECORDS_LOW_RATE" 1024 all "$LOW_RATE" $((RECORDS_LOW_RATE / 5))
    both sluice "fixed-$LOW_RATE" 6 3 2 "$RECORDS_LOW_RATE" 1024 all "$LOW_RATE" $((RECORDS_LOW_RATE / 5))
  fi
  if want e2e; then
    for sys in sluice kafka; do
      topic="e2e-$sys-$RANDOM"; create_topic "$sys" "$topic" 1 3 2
      log "$sys: end-to-end, $E2E_RECORDS records one at a time"
      if ! e2e "$sys" "$WORK/out/e2e-$sys.txt" "$topic" "$E2E_RECORDS"; then
        log "$sys: e2e failed (see $WORK/out/e2e-$sys.txt)"
        # the nodes' logs, since the cluster's directory goes when the run ends
        if [[ $sys == sluice ]]; then
          for f in "$WORK/sluice-$sluice_nodes"/node-*/node.log; do
            cp "$f" "$WORK/out/e2e-failed-$(basename "$(dirname "$f")").log"
          done
        fi
      fi
      # no percentiles after a failure: read leaves the cells empty, and the remaining workloads run
      read -r e50 e99 e999 < <(sed -n \
        's/^Percentiles: 50th = \([0-9.]*\), 99th = \([0-9.]*\), 99.9th = \([0-9.]*\).*/\1 \2 \3/p' \
        "$WORK/out/e2e-$sys.txt") || true
      record e2e "avg ms" "$sys" "$(sed -n 's/^Avg latency: \([0-9.]*\) ms.*/\1/p' "$WORK/out/e2e-$sys.txt")"
      record e2e "p50 ms" "$sys" "$e50"
      record e2e "p99 ms" "$sys" "$e99"
    done
  fi
  want rss && { rss sluice; rss kafka; }
  want failover && { failover sluice; failover kafka; }
  sluice_stop
  kafka_stop
fi
if want rf1; then
  sluice_start 1
  kafka_start 1
  both sluice rf1-warmup 6 1 1 "$RECORDS_WARMUP" 1024 all -1 0
  both kafka rf1-1k 6 1 1 "$RECORDS_1K" 1024 all -1 $((RECORDS_1K / STEADY_FROM))
  sluice_stop
  kafka_stop
fi

# ---------------------------------------------------------------- the table
echo
echo "== Sluice vs Apache Kafka ($(date -u +%FT%TZ), raw outputs in $WORK/out)"
awk -F'\t' '
  { key = $1 "\t" $2; if (!(key in seen)) { seen[key] = 1; order[++n] = key } v[key, $3] = $4 }
  END {
    printf "%-12s %-34s %14s %14s %8s\n", "workload", "metric", "sluice", "kafka", "ratio"
    for (i = 1; i <= n; i++) {
      k = order[i]; split(k, p, "\t"); s = v[k, "sluice"]; f = v[k, "kafka"]
      r = (f + 0 != 0) ? sprintf("%.2f", s / f) : "-"
      printf "%-12s %-34s %14s %14s %8s\n", p[1], p[2], s, f, r
    }
  }' "$RESULTS"
