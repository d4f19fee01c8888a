#!/usr/bin/env bash
# A hark job split into SHARDS shards run by GNU parallel: on this server, or across machines with parallel's own
# options such as --sshlogin (every machine needs hark, and the media and the store at the same paths).
#   parallel.sh /archive/radio /srv/hark-store 8                                  # 8 shards on this server
#   parallel.sh /archive/radio /shared/hark-store 32 --sshlogin 8/node1,8/node2   # 32 shards, 8 at a time on each
# A shard that fails stops the job before the merge; its log says which. Rerun it alone, then merge:
#   hark apply --store /srv/hark-store --shard 5/8 && hark apply --store /srv/hark-store --merge
set -euo pipefail
media=$1 store=$2 shards=$3
shift 3
parallel --halt soon,fail=1 "$@" hark extract "$media" --store "$store" --shard {}/"$shards" --workers 1 ::: $(seq 0 $((shards - 1)))
hark apply --store "$store" --fit
parallel --halt soon,fail=1 "$@" hark apply --store "$store" --shard {}/"$shards" ::: $(seq 0 $((shards - 1)))
hark apply --store "$store" --merge
