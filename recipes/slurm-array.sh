#!/bin/bash
#SBATCH --job-name=hark
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --output=hark-%A_%a.log
# One shard of a hark job per Slurm array task. The media and the store folder must be on a filesystem every node
# sees (NFS, Lustre, GPFS); shards write disjoint files, so no locks are needed. Steps, from the login node:
#   sbatch --wait slurm-array.sh extract /archive/radio /shared/hark-store   # features, 16 shards
#   hark apply --store /shared/hark-store --fit                              # the model, once
#   sbatch --wait slurm-array.sh apply /shared/hark-store                    # scores, 16 shards
#   hark apply --store /shared/hark-store --merge                            # ranges.csv, exports, summary
# A failed task: rerun it alone with the same count, e.g. task 5 of 16:
#   sbatch --wait --array=5 --export=ALL,HARK_SHARDS=16 slurm-array.sh apply /shared/hark-store
set -euo pipefail
step=${1:-}
workers=${SLURM_CPUS_PER_TASK:-1}
case "$step" in
  extract) hark extract "$2" --store "$3" --shard auto --workers "$workers" ;;
  apply) hark apply --store "$2" --shard auto ;;
  *) echo "usage: sbatch slurm-array.sh extract MEDIA STORE | apply STORE" >&2; exit 2 ;;
esac
