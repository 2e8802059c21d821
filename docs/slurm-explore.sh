#!/bin/bash
# cgosim exploration campaign as a Slurm job array: 8 shards of one campaign.
# Each task runs shard SLURM_ARRAY_TASK_ID+1 of 8 and appends to its own journal; a requeued task
# resumes it. Merge afterwards: npx cgosim merge journals/shard-*.jsonl
#SBATCH --job-name=cgosim-explore
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --requeue
#SBATCH --output=journals/slurm-%A_%a.log

set -euo pipefail
mkdir -p journals
K=$((SLURM_ARRAY_TASK_ID + 1))
N=8
npx cgosim explore --profile go1.22.0 --diff go1.22.5 --seed 1 --runs 8000000 \
  --shard "$K/$N" --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --resume "journals/shard-$K.jsonl" --json > "journals/shard-$K.stdout.jsonl" || test $? -eq 1
# (exit status 1 means findings were made: the task succeeded)
