# install_nvidia_smi_standin <cluster state dir> <slurm.conf> — put the test bed's STAND-IN nvidia-smi
# (tests/testbed/lib/nvidia-smi-standin, which prints real captured H200 output; not NVIDIA's tool) with the
# captures it prints into <cluster state dir>/nvidia-smi-standin/, and write gpus-per-node from slurm.conf.
# The compute nodes of a test-bed cluster are slurmd -N processes on this host, so a job step on any node
# can run <dir>/nvidia-smi-standin/nvidia-smi (the collector is configured with that path; the nodes' PATH
# is left alone so nothing else on the host mistakes it for a real nvidia-smi).
# Tests choose what a node shows by writing node names, one per line, to idle-nodes (idle capture; all
# other nodes show the capture under load) or failing-nodes (the driver's failure, exit 9). Both files are
# created empty and writable by everyone (test users write them without root). Idempotent.
install_nvidia_smi_standin() {
  local dir=$1/nvidia-smi-standin conf=$2 lib fixtures f
  lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  fixtures=$lib/../../fixtures/nvidia-smi-h200
  mkdir -p "$dir"
  chmod 755 "$dir"
  install -m 755 "$lib/nvidia-smi-standin" "$dir/nvidia-smi"
  for f in query-gpu.idle.csv query-gpu.busy.csv query-gpu-nounits.idle.csv query-gpu-nounits.busy.csv plain.idle.txt plain.busy.txt list.txt; do
    install -m 644 "$fixtures/$f" "$dir/$f"
  done
  # "<node> <GPUs>" for every node with gpu GRES (NodeName=x ... Gres=gpu:a100:4 or gpu:4).
  awk '/^NodeName=/ { n = $1; sub(/^NodeName=/, "", n); g = 0
         for (i = 2; i <= NF; i++) if ($i ~ /^Gres=/) { k = split($i, p, ":"); g = p[k] + 0 }
         if (g > 0) print n, g }' "$conf" >"$dir/gpus-per-node.new"
  mv "$dir/gpus-per-node.new" "$dir/gpus-per-node"
  chmod 644 "$dir/gpus-per-node"
  for f in idle-nodes failing-nodes; do
    [[ -e $dir/$f ]] || : >"$dir/$f"
    chmod 666 "$dir/$f"
  done
}
