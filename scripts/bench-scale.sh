#!/usr/bin/env bash
# Scale-out under a network that is the bottleneck: every transport (train.transport = driver with
# resident tasks, driver with one Spark job per round, collective) for P executors on a standalone
# cluster whose hosts are network namespaces, each with one NIC shaped with tc in both directions.
#
#   a bridge (the switch) in namespace <prefix>sw; the driver and the Master in <prefix>drv
#   (10.77.0.1), Worker i in <prefix>w<i> (10.77.0.<10+i>), 1 core each; every host joined to the
#   bridge by a veth pair whose two ends are shaped to BENCH_SCALE_RATE (tbf): what a host sends and
#   what it receives each pass through one shaped link, as through one NIC.
#
# For each model size (synthetic MLPs on 16 CSV features: 44k, 4M, 25M parameters), P and transport,
# it trains 2 epochs of synchronous SGD with batch 2 per worker (compute small next to the transfers)
# and prints: ms per round (epoch 2's train_seconds over its rounds), the bytes the driver's host and
# the busiest executor's host sent and received per round over epoch 2 (read from the namespaces'
# interface counters: counted, not computed; they include epoch 2's one validation pass), the
# bandwidth bound of the collective round 2(P-1)/P * 4n / B, and weak-scaling efficiency (the P = 2
# round time over this one: the work per executor is the same at every P).
#
# Needs root (namespaces, veth, tc) and iproute2; only the addresses above are used, inside the
# namespaces this script creates, and it deletes them when it ends. Output in runs/bench-scale/.
#
#   BENCH_SCALE_RATE     shaped rate per host link, tc syntax (default 1gbit; e.g. 100mbit)
#   BENCH_SCALE_P        executor counts (default "2 4 8")
#   BENCH_SCALE_SIZES    model sizes among 44k 4m 25m (default "44k 4m")
#   BENCH_SCALE_WAYS     transports among resident jobs collective (default all three)
#   BENCH_SCALE_STEPS    rounds per epoch by size (default "44k:40 4m:12 25m:6"): resident tasks start
#                        a Spark job each epoch (validation needs the task slots), which the per-round
#                        figure includes, amortized over these rounds
#   BENCH_SCALE_PLANES   sizes for the data-plane comparison (default "4m"; "" skips it): for each P,
#                        AllReduceBenchmark times an all-reduce of that many floats among P barrier
#                        tasks over the task mesh (PeerMesh) and over Spark's block manager (BigDL's way)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
source "$here/cluster-lib.sh"
[[ $EUID -eq 0 ]] || { echo "bench-scale.sh needs root (network namespaces, veth pairs, tc)" >&2; exit 2; }
command -v ip >/dev/null && command -v tc >/dev/null || { echo "bench-scale.sh needs iproute2 (ip, tc)" >&2; exit 2; }

RATE=${BENCH_SCALE_RATE:-1gbit}
PS=(${BENCH_SCALE_P:-2 4 8})
SIZES=(${BENCH_SCALE_SIZES:-44k 4m})
WAYS=(${BENCH_SCALE_WAYS:-resident jobs collective})
STEPS=${BENCH_SCALE_STEPS:-44k:40 4m:12 25m:6}
steps_of() { local kv; for kv in $STEPS; do [[ ${kv%%:*} == "$1" ]] && echo "${kv#*:}" && return; done; echo 6; }
BATCH=2
PFX="st$$"
OUTDIR="$ROOT/runs/bench-scale"
mkdir -p "$OUTDIR"
CSV="$OUTDIR/bench-scale.csv"

ensure_built
CLUSTER_KEEP=0
cluster_setup bench-scale
NAMESPACES=()
net_cleanup() {
  local ns
  for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap 'rc=$?; cluster_stop; net_cleanup; (exit $rc); cluster_cleanup' EXIT
cluster_stop() {  # kills the cluster's processes (they live in the namespaces)
  local g
  for g in "${GROUPS_STARTED[@]}"; do kill -KILL -- "-$g" 2>/dev/null || true; done
  GROUPS_STARTED=()
  WORKER_PIDS=()
  wait 2>/dev/null || true
}

hidden() {  # the MLP's hidden layers for a size
  case $1 in
    44k) echo "[2300]" ;;            # 16*2300 + 2300 + 2300*2 + 2 = 43,702
    4m) echo "[2000, 2000]" ;;       # 4,040,002
    25m) echo "[5000, 5000]" ;;      # 25,095,002
    *) fail "unknown size $1 (44k, 4m, 25m)" ;;
  esac
}

shape() {  # shape DEV NS: tbf at RATE on DEV's egress in NS
  ip netns exec "$2" tc qdisc add dev "$1" root tbf rate "$RATE" burst 1mb latency 200ms
}

net_setup() {  # net_setup P: the switch, the driver's host and P workers' hosts
  local p=$1 i host ip
  net_cleanup
  NAMESPACES=("${PFX}sw" "${PFX}drv")
  ip netns add "${PFX}sw"
  ip -n "${PFX}sw" link set lo up
  ip -n "${PFX}sw" link add br0 type bridge
  ip -n "${PFX}sw" link set br0 up
  for ((i = 0; i <= p; i++)); do
    if [[ $i -eq 0 ]]; then host="${PFX}drv"; ip=10.77.0.1; else host="${PFX}w$i"; ip=10.77.0.$((10 + i)); NAMESPACES+=("$host"); fi
    ip netns add "$host"
    ip -n "$host" link set lo up
    ip link add eth0 netns "$host" type veth peer name "port$i" netns "${PFX}sw"
    ip -n "$host" addr add "$ip/24" dev eth0
    ip -n "$host" link set eth0 up
    ip -n "${PFX}sw" link set "port$i" master br0
    ip -n "${PFX}sw" link set "port$i" up
    shape eth0 "$host"
    shape "port$i" "${PFX}sw"
  done
}

bytes() {  # bytes NS: "tx rx" of the host's NIC
  echo "$(ip netns exec "$1" cat /sys/class/net/eth0/statistics/tx_bytes) $(ip netns exec "$1" cat /sys/class/net/eth0/statistics/rx_bytes)"
}

start_net_cluster() {  # start_net_cluster P
  local p=$1 i
  [[ -n "${SPARK_CP:-}" ]] || resolve_spark_dist
  MASTER_URL="spark://10.77.0.1:7077"
  start_group "$LOGS/master.log" ip netns exec "${PFX}drv" env SPARK_LOCAL_IP=10.77.0.1 java -Xmx512m \
    -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -cp "$SPARK_CP" org.apache.spark.deploy.master.Master \
    --host 10.77.0.1 --port 7077 --webui-port 8080
  for ((i = 1; i <= p; i++)); do
    mkdir -p "$WORK/worker-$i"
    start_group "$LOGS/worker-$i.log" ip netns exec "${PFX}w$i" env SPARK_LOCAL_IP=10.77.0.$((10 + i)) java -Xmx512m \
      -Djava.io.tmpdir="$JVM_TMP" "${JAVA_OPENS[@]}" -cp "$SPARK_CP" org.apache.spark.deploy.worker.Worker \
      "$MASTER_URL" --cores 1 --memory 3g --work-dir "$WORK/worker-$i" --host 10.77.0.$((10 + i)) --webui-port 8081
    WORKER_PIDS+=("$STARTED_PID")
  done
  for ((i = 0; i < 900; i++)); do
    [[ $(grep -c 'Registering worker' "$LOGS/master.log" || true) -ge $p ]] && return 0
    sleep 0.1
  done
  fail "the $p Workers did not register with the Master within 90 s"
}

write_data() {  # write_data FILE ROWS
  python3 - "$1" "$2" <<'PY'
import random, sys
rng = random.Random(16)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"f{i}" for i in range(16)) + ",label\n")
    for _ in range(int(sys.argv[2])):
        x = [rng.gauss(0, 1) for _ in range(16)]
        f.write(",".join(f"{v:.5f}" for v in x) + f",{int(sum(x[:4]) > 0)}\n")
PY
}

# net_submit LOG DRIVER_HEAP P EXECUTOR_MEMORY [spark-submit arguments ...]: a client-mode driver on the
# driver's host, in the background; sets STARTED_PID and FAILED_LOG
net_submit() {
  local log=$1 heap=$2 p=$3 mem=$4
  shift 4
  FAILED_LOG=$log
  start_group "$log" ip netns exec "${PFX}drv" env SPARK_LOCAL_IP=10.77.0.1 java -Xmx"$heap" -Djava.io.tmpdir="$JVM_TMP" \
    "${JAVA_OPENS[@]}" -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$SPARK_CP" \
    org.apache.spark.deploy.SparkSubmit --master "$MASTER_URL" --deploy-mode client \
    --conf spark.driver.host=10.77.0.1 --conf spark.driver.bindAddress=10.77.0.1 --conf spark.ui.enabled=false \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 --conf spark.scheduler.maxRegisteredResourcesWaitingTime=90s \
    --conf spark.executor.memory="$mem" --conf spark.executor.cores=1 --conf spark.cores.max="$p" "$@"
}

run_planes() {  # run_planes P SIZE: the two data planes' all-reduce times; appends to planes.csv
  local p=$1 size=$2 n log="$LOGS/planes-$1-$2.log"
  case $size in 44k) n=43702 ;; 4m) n=4040002 ;; 25m) n=25095002 ;; esac
  net_submit "$log" 2g "$p" 1g --class dev.sparktrain.job.bench.AllReduceBenchmark "$JOB_JAR" "$p" "$n" 5
  wait_driver "$STARTED_PID" 900
  [[ $DRIVER_RC -eq 0 ]] || fail "all-reduce benchmark P=$p $size: exit $DRIVER_RC"
  FAILED_LOG=""
  grep -E '^(mesh|blockmanager),' "$log" | sed "s/^/$RATE,/" >>"$OUTDIR/planes.csv"
  log "data planes P=$p $size: $(grep -E '^(mesh|blockmanager),' "$log" | tr '\n' ' ')"
}

metrics_lines() { if [[ -f "$1" ]]; then grep -c . "$1" || true; else echo 0; fi; }

run_one() {  # run_one SIZE P WAY: one training job; appends a row
  local size=$1 p=$2 way=$3 out="$WORK/out-$1-$2-$3" data="$WORK/data-$2-$1.csv" transport i
  case $way in
    resident) transport=(--set train.transport=driver --set train.rounds=resident) ;;
    jobs) transport=(--set train.transport=driver --set train.rounds=jobs) ;;
    collective) transport=(--set train.transport=collective) ;;
  esac
  local log="$LOGS/driver-$size-$p-$way.log"
  net_submit "$log" 6g "$p" "$( [[ $size == 25m ]] && echo 2g || echo 1g)" \
    --conf spark.driver.maxResultSize=0 --conf spark.network.timeout=600s \
    --class dev.sparktrain.job.cli.Main "$JOB_JAR" train "$here/bench-rounds/rounds.conf" \
    --set data.train.path="\"$data\"" --set output.dir="\"$out\"" --run-id run --set train.workers="$p" \
    --set train.batch-size=$BATCH --set model.hidden="$(hidden "$size")" --set model.dtype=float32 \
    --set train.epochs=2 "${transport[@]}"
  local pid=$STARTED_PID metrics="$out/runs/run/metrics.jsonl" t0=$SECONDS
  until [[ $(metrics_lines "$metrics") -ge 1 ]]; do
    kill -0 "$pid" 2>/dev/null || fail "$size P=$p $way: the job ended before epoch 1"
    [[ $((SECONDS - t0)) -lt 1800 ]] || fail "$size P=$p $way: no epoch within 30 min"
    sleep 0.05
  done
  local before=() after=()
  for ((i = 0; i <= p; i++)); do before+=("$(bytes "$( [[ $i -eq 0 ]] && echo "${PFX}drv" || echo "${PFX}w$i")")"); done
  until [[ $(metrics_lines "$metrics") -ge 2 ]]; do
    kill -0 "$pid" 2>/dev/null || fail "$size P=$p $way: the job ended before epoch 2"
    sleep 0.05
  done
  for ((i = 0; i <= p; i++)); do after+=("$(bytes "$( [[ $i -eq 0 ]] && echo "${PFX}drv" || echo "${PFX}w$i")")"); done
  wait_driver "$pid" 600
  [[ $DRIVER_RC -eq 0 ]] || fail "$size P=$p $way: the job exited with $DRIVER_RC"
  FAILED_LOG=""
  python3 - "$metrics" "$size" "$p" "$way" "$RATE" "${before[*]}" "${after[*]}" >>"$CSV" <<'PY'
import json, sys
metrics, size, p, way, rate, before, after = sys.argv[1:8]
rows = [json.loads(l) for l in open(metrics) if l.strip()]
e1, e2 = rows[0], rows[1]
rounds = e2["step"] - e1["step"]
ms = 1000 * e2["train_seconds"] / rounds
b = list(map(int, before.split())); a = list(map(int, after.split()))
d = [(a[i] - b[i]) / rounds for i in range(len(a))]  # per round: tx, rx pairs
drv_tx, drv_rx = d[0], d[1]
busiest = max(range(1, int(p) + 1), key=lambda i: d[2 * i] + d[2 * i + 1])
ex_tx, ex_rx = d[2 * busiest], d[2 * busiest + 1]
print(f"{size},{p},{way},{rate},{rounds},{ms:.1f},{drv_tx:.0f},{drv_rx:.0f},{ex_tx:.0f},{ex_rx:.0f}")
PY
  log "$size P=$p $way: $(tail -n 1 "$CSV")"
}

MACHINE="$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "size,P,transport,rate,rounds,ms_per_round,driver_tx_per_round,driver_rx_per_round,busiest_executor_tx_per_round,busiest_executor_rx_per_round" >"$CSV"
echo "rate,plane,tasks,params,rounds,median_ms,p10_ms,p90_ms" >"$OUTDIR/planes.csv"
for p in "${PS[@]}"; do
  cluster_stop
  net_setup "$p"
  start_net_cluster "$p"
  for size in "${SIZES[@]}"; do
    write_data "$WORK/data-$p-$size.csv" "$(python3 -c "print(int(($(steps_of "$size") * $p * $BATCH + 2) / 0.9) + 4)")"
  done
  for size in ${BENCH_SCALE_PLANES-4m}; do
    run_planes "$p" "$size"
  done
  for size in "${SIZES[@]}"; do
    for way in "${WAYS[@]}"; do
      run_one "$size" "$p" "$way"
    done
  done
done
cluster_stop

python3 - "$CSV" "$RATE" "$MACHINE" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
rate = sys.argv[2]
unit = {"gbit": 1e9, "mbit": 1e6, "kbit": 1e3}
B = next(float(rate[:-len(u)]) * f for u, f in unit.items() if rate.endswith(u)) / 8  # bytes/s
params = {"44k": 43702, "4m": 4040002, "25m": 25095002}
base = {(r["size"], r["transport"]): float(r["ms_per_round"]) for r in rows if r["P"] == "2"}
print(f"\nbench-scale on {sys.argv[3]}: hosts shaped to {rate} each way; per round:")
print(f"{'size':>5} {'P':>2} {'transport':>10} {'ms':>9} {'driver tx/rx MB':>16} {'busiest exec tx/rx MB':>22} {'bound ms':>9} {'vs bound':>8} {'weak eff':>8}")
for r in rows:
    n, p = params[r["size"]], int(r["P"])
    bound = 1000 * 2 * (p - 1) / p * 4 * n / B
    ms = float(r["ms_per_round"])
    eff = base.get((r["size"], r["transport"]), float("nan")) / ms
    print(f"{r['size']:>5} {p:>2} {r['transport']:>10} {ms:9.1f} "
          f"{float(r['driver_tx_per_round'])/1e6:7.2f}/{float(r['driver_rx_per_round'])/1e6:<8.2f} "
          f"{float(r['busiest_executor_tx_per_round'])/1e6:10.2f}/{float(r['busiest_executor_rx_per_round'])/1e6:<11.2f} "
          f"{bound:9.1f} {ms / bound:8.2f} {eff:8.2f}")
print(f"(CSV: {sys.argv[1]})")

# The cost model refitted: per transport, T = a + g * X / B, X the bytes a round moves over its busiest
# link in one direction (counted above: max over hosts of max(tx, rx)), B the link's rate. g near 1:
# the round is as fast as its busiest link allows; a: its fixed cost (latency, scheduling, compute).
def busiest(r):
    return max(float(r["driver_tx_per_round"]), float(r["driver_rx_per_round"]),
               float(r["busiest_executor_tx_per_round"]), float(r["busiest_executor_rx_per_round"]))
fits = {}
print("\nrefitted: T_ms = a + g * busiest-link bytes / B")
for way in sorted({r["transport"] for r in rows}):
    pts = [(1000 * busiest(r) / B, float(r["ms_per_round"])) for r in rows if r["transport"] == way]
    if len(pts) < 2:
        continue
    mx = sum(x for x, _ in pts) / len(pts); my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    g = sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx > 0 else 1.0
    a = my - g * mx
    fits[way] = (a, g)
    worst = max(abs(a + g * x - y) / y for x, y in pts)
    print(f"  {way:>10}: a = {a:8.1f} ms  g = {g:5.2f}   ({len(pts)} points, worst misfit {100 * worst:.0f}%)")

def link_bytes(way, n, p):  # bytes over the busiest link, one direction, as the transports move them
    if way == "collective":
        return 2 * (p - 1) / p * 4 * n        # reduce-scatter + all-gather, per executor
    if way == "resident":
        return p * 4 * n                      # the driver sends every task the parameters, gets every gradient
    return 4 * n * (1 + math.ceil(p ** 0.5))  # jobs: a broadcast, the tree's partial sums
import math
print("\nextrapolated to 256 executors, a 100 ms step, no overlap of compute and transfer (efficiency = step / (step + round)):")
print(f"  {'params':>7} {'link':>8} " + " ".join(f"{w:>22}" for w in sorted(fits)))
for n in (4e6, 25e6, 100e6):
    for gbit in (10, 25):
        bw = gbit * 1e9 / 8
        cells = []
        for way in sorted(fits):
            a, g = fits[way]
            t = max(a, 0) + g * 1000 * link_bytes(way, n, 256) / bw
            cells.append(f"{t:9.0f} ms {100 * 100 / (100 + t):5.1f}%")
        print(f"  {n / 1e6:6.0f}M {gbit:>5}Gb/s " + " ".join(f"{c:>22}" for c in cells))
PY
if [[ $(grep -c . "$OUTDIR/planes.csv") -gt 1 ]]; then
  echo
  echo "all-reduce of N floats among P barrier tasks, by data plane (ms, task 0, median of 5):"
  column -s, -t "$OUTDIR/planes.csv"
fi
