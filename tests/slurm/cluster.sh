#!/usr/bin/env bash
# A private single-host Slurm cluster for the slurm tests: munge, slurmctld and two slurmd under
# two node names on this host (or one slurmd where two do not come up) driven by a slurm.conf in
# $GEMMSWEEP_SLURM_DIR (default /tmp/gemmsweep-slurm). Needs root (slurmd runs jobs as their user).
#
#   cluster.sh start    start munge and the daemons, wait until every node is idle (idempotent)
#   cluster.sh stop     stop the daemons this script started and remove the directory
#   cluster.sh status   print state; exit 0 when the cluster answers
#   cluster.sh env      print the environment a client needs (`eval "$(cluster.sh env)"`)
#
# Environment: GEMMSWEEP_SLURM_DIR, GEMMSWEEP_SLURM_PORT (slurmctld port; slurmd ports follow),
# GEMMSWEEP_SLURM_NODES (1 or 2; default: 2 node names when this host can run them, else 1).
set -euo pipefail

readonly dir="${GEMMSWEEP_SLURM_DIR:-/tmp/gemmsweep-slurm}"
readonly ctld_port="${GEMMSWEEP_SLURM_PORT:-6817}"
readonly conf="$dir/slurm.conf"
host="$(hostname -s)"
readonly host
export SLURM_CONF="$conf"

die() {
  echo "cluster.sh: error: $*" >&2
  exit 1
}
log() { echo "cluster.sh: $*" >&2; }

need_root() { [[ "$(id -u)" == 0 ]] || die "must run as root (slurmd and munged need it)"; }

pid_alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# --- munge --------------------------------------------------------------------------------------
munge_works() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munge() {
  if munge_works; then return 0; fi
  command -v munged >/dev/null || die "munged not found (apt-get install munge)"
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  install -d -o munge -g munge -m 0700 /etc/munge
  if [[ ! -s /etc/munge/munge.key ]]; then
    log "creating /etc/munge/munge.key"
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile=/etc/munge/munge.key
    else
      dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    fi
  fi
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  # munged refuses to run as root; a stale socket from a killed munged blocks the start.
  rm -f /run/munge/munge.socket.2 /run/munge/munge.socket.2.lock
  runuser -u munge -- /usr/sbin/munged --force ||
    die "munged failed to start (see /var/log/munge/munged.log)"
  for _ in $(seq 50); do
    munge_works && return 0
    sleep 0.1
  done
  die "munge does not answer after starting munged (see /var/log/munge/munged.log)"
}

# --- configuration ------------------------------------------------------------------------------
# Two node names on this host: one slurmd per name (`slurmd -N name`), each on its own port, with
# its own spool and TmpFS directories (mpi/pmix keeps per-node state there). Slurm 22.05 on
# Debian 12 runs this; where it does not, start() falls back to one node.
node_names() {
  case "$1" in
    1) echo "$host" ;;
    2) echo "${host}-n0 ${host}-n1" ;;
    *) die "GEMMSWEEP_SLURM_NODES=$1: allowed values are 1 and 2" ;;
  esac
}

write_conf() {
  local -a nodes
  read -r -a nodes <<<"$(node_names "$1")"
  local hw cpus mem sockets cores threads
  hw="$(slurmd -C | head -n 1)" || die "slurmd -C failed"
  cpus="$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")"
  sockets="$(sed -n 's/.* SocketsPerBoard=\([0-9]*\).*/\1/p' <<<"$hw")"
  cores="$(sed -n 's/.* CoresPerSocket=\([0-9]*\).*/\1/p' <<<"$hw")"
  threads="$(sed -n 's/.* ThreadsPerCore=\([0-9]*\).*/\1/p' <<<"$hw")"
  mem="$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")"
  [[ -n "$cpus" && -n "$mem" ]] || die "cannot read CPUs/RealMemory from: $hw"
  # Leave headroom so that the node is not drained for "Low RealMemory" when free memory moves.
  mem=$((mem * 9 / 10))
  local mpi=none
  if [[ -n "$(find /usr/lib /usr/lib64 -name mpi_pmix.so 2>/dev/null | head -n 1)" ]]; then mpi=pmix; fi

  mkdir -p "$dir/state" "$dir/log" "$dir/run"
  {
    echo "# Written by tests/slurm/cluster.sh; private test cluster, removed by 'cluster.sh stop'."
    echo "ClusterName=gemmsweep"
    echo "SlurmctldHost=$host"
    echo "SlurmctldPort=$ctld_port"
    echo "SlurmUser=root"
    echo "SlurmdUser=root"
    echo "AuthType=auth/munge"
    echo "CredType=cred/munge"
    # A requeued job may start again only after its credentials expire (default 120 s).
    echo "AuthInfo=cred_expire=10"
    echo "StateSaveLocation=$dir/state"
    echo "SlurmdSpoolDir=$dir/spool-%n"
    # Per-node TmpFS: mpi/pmix puts its client directories there, and two node names on one host
    # would otherwise collide in /tmp/spmix_appdir_*.
    echo "TmpFS=$dir/tmp-%n"
    echo "SlurmctldPidFile=$dir/run/slurmctld.pid"
    echo "SlurmdPidFile=$dir/run/slurmd-%n.pid"
    echo "SlurmctldLogFile=$dir/log/slurmctld.log"
    echo "SlurmdLogFile=$dir/log/slurmd-%n.log"
    echo "SlurmctldDebug=info"
    echo "SlurmdDebug=info"
    echo "ProctrackType=proctrack/linuxproc"
    echo "TaskPlugin=task/none"
    echo "JobAcctGatherType=jobacct_gather/none"
    echo "AccountingStorageType=accounting_storage/none"
    echo "JobCompType=jobcomp/filetxt"
    echo "JobCompLoc=$dir/log/jobcomp.txt"
    echo "SelectType=select/cons_tres"
    echo "SelectTypeParameters=CR_CPU"
    echo "SchedulerType=sched/backfill"
    # Start jobs (and requeued jobs) within seconds instead of the default 30-60 s cycles.
    echo "SchedulerParameters=sched_interval=2,bf_interval=1"
    echo "MpiDefault=$mpi"
    echo "ReturnToService=2"
    echo "JobRequeue=1"
    echo "KillWait=5"
    echo "MinJobAge=120"
    echo "InactiveLimit=0"
    echo "SlurmdTimeout=60"
    echo "SlurmctldTimeout=60"
    echo "MessageTimeout=20"
    echo "SrunPortRange=$((ctld_port + 100))-$((ctld_port + 200))"
    local i=0 name
    for name in "${nodes[@]}"; do
      printf 'NodeName=%s NodeHostname=%s NodeAddr=127.0.0.1 Port=%d CPUs=%s Sockets=%s CoresPerSocket=%s ThreadsPerCore=%s RealMemory=%s State=UNKNOWN\n' \
        "$name" "$host" "$((ctld_port + 1 + i))" "$cpus" "${sockets:-1}" "${cores:-$cpus}" "${threads:-1}" "$mem"
      i=$((i + 1))
    done
    # OverSubscribe=YES lets a job ask for more tasks than CPUs (--oversubscribe) on this small host.
    echo "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES"
  } >"$conf.new"
  mv "$conf.new" "$conf"
  echo "${nodes[*]}" >"$dir/nodes"
  {
    printf 'export SLURM_CONF=%q\n' "$conf"
    # Open MPI's shared-memory transport assumes one host name means one node; with two node
    # names on one host the ranks of "different nodes" cannot map each other's segments.
    if [[ "${#nodes[@]}" -gt 1 ]]; then echo "export OMPI_MCA_btl=self,tcp"; fi
  } >"$dir/env"
}

# --- daemons ------------------------------------------------------------------------------------
cluster_answers() { timeout 10 sinfo -h -o '%T' >/dev/null 2>&1; }

wait_idle() {
  local want="$1" seconds="$2" states=""
  for _ in $(seq $((seconds * 5))); do
    states="$(timeout 10 sinfo -h -N -o '%N %T' 2>/dev/null || true)"
    if [[ -n "$states" ]] && [[ "$(grep -c ' idle$' <<<"$states")" == "$want" ]]; then
      return 0
    fi
    sleep 0.2
  done
  echo "$states" >&2
  tail -n 20 "$dir/log/slurmctld.log" "$dir"/log/slurmd-*.log >&2 2>/dev/null || true
  echo "cluster.sh: nodes not idle after $seconds s (sinfo and log tails above, logs in $dir/log)" >&2
  return 1
}

launch() {
  local count="$1"
  stop_daemons
  rm -rf "$dir/state" "$dir"/spool-* "$dir"/tmp-*
  write_conf "$count"
  local -a nodes
  read -r -a nodes <"$dir/nodes"
  # -i: ignore saved state; fresh cluster every start.
  slurmctld -f "$conf" -i || die "slurmctld failed to start (see $dir/log/slurmctld.log)"
  local name
  for name in "${nodes[@]}"; do
    mkdir -p "$dir/spool-$name" "$dir/tmp-$name"
    if [[ "$count" == 1 ]]; then
      slurmd -f "$conf" || die "slurmd failed to start (see $dir/log/slurmd-$name.log)"
    else
      slurmd -f "$conf" -N "$name" || {
        echo "cluster.sh: slurmd -N $name failed to start" >&2
        return 1
      }
    fi
  done
  wait_idle "$count" 30
}

start() {
  need_root
  command -v slurmctld >/dev/null || die "slurmctld not found (apt-get install slurm-wlm)"
  start_munge
  if [[ -s "$conf" ]] && pid_alive "$dir/run/slurmctld.pid" && cluster_answers; then
    local -a nodes
    read -r -a nodes <"$dir/nodes"
    wait_idle "${#nodes[@]}" 30 || die "running cluster in $dir is not healthy; run 'cluster.sh stop' first"
    log "already running: ${nodes[*]} (SLURM_CONF=$conf)"
    return 0
  fi
  local count="${GEMMSWEEP_SLURM_NODES:-2}"
  [[ "$count" == 1 || "$count" == 2 ]] || die "GEMMSWEEP_SLURM_NODES=$count: allowed values are 1 and 2"
  if ! launch "$count"; then
    if [[ "$count" == 2 && -z "${GEMMSWEEP_SLURM_NODES:-}" ]]; then
      log "two slurmd node names on one host do not work here; falling back to one node"
      launch 1 || die "single-node cluster did not come up (logs in $dir/log)"
    else
      die "cluster did not come up (logs in $dir/log)"
    fi
  fi
  log "up: $(cat "$dir/nodes") idle (SLURM_CONF=$conf)"
}

stop_pidfile() {
  local pidfile="$1" pid
  pid_alive "$pidfile" || return 0
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

stop_daemons() {
  [[ -d "$dir/run" ]] || return 0
  if [[ -s "$conf" ]] && pid_alive "$dir/run/slurmctld.pid"; then
    timeout 10 scancel --full --quiet --user=root >/dev/null 2>&1 || true
  fi
  local f
  for f in "$dir"/run/slurmd-*.pid; do
    [[ -e "$f" ]] && stop_pidfile "$f"
  done
  stop_pidfile "$dir/run/slurmctld.pid"
}

stop() {
  need_root
  stop_daemons
  rm -rf "$dir"
  # munged is left running: other users of munge on this host may rely on it.
  log "stopped"
}

status() {
  if [[ -s "$conf" ]] && cluster_answers; then
    echo "SLURM_CONF=$conf"
    sinfo -N -o '%N %T %c %m'
    return 0
  fi
  echo "cluster.sh: not running" >&2
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env)
    [[ -s "$dir/env" ]] || die "not started (no $dir/env)"
    cat "$dir/env"
    ;;
  *)
    echo "usage: cluster.sh start|stop|status|env" >&2
    exit 2
    ;;
esac
