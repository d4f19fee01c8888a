import { UserError } from './user-error.js';

/** One share of a job split across machines: shard `index` (from 0) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

const FORMAT_HINT = 'give --shard INDEX/COUNT with INDEX from 0, e.g. --shard 0/8 … 7/8, or --shard auto';

/** "2/8" -> shard 2 of 8; indices run from 0 like Slurm's array task ids and Kubernetes' completion index. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UserError(`Cannot read --shard ${text}: ${FORMAT_HINT}.`);
  return checkedShard(Number(match[1]), Number(match[2]), `--shard ${text}`);
}

function checkedShard(index: number, count: number, what: string): Shard {
  if (!(count >= 1)) throw new UserError(`${what}: the number of shards must be 1 or more.`);
  if (!(index >= 0 && index < count)) throw new UserError(`${what}: the index must be from 0 to ${count - 1}.`);
  return { index, count };
}

/**
 * The shard a scheduler gave this process: Slurm array jobs set SLURM_ARRAY_TASK_ID, Kubernetes Indexed Jobs
 * JOB_COMPLETION_INDEX. The count comes from `shards` (--shards), else HARK_SHARDS, else a Slurm array that runs
 * 0..N-1. A rerun of one task (`sbatch --array=5`) is an array of one, so it needs the count given.
 */
export function shardFromEnv(env: NodeJS.ProcessEnv, shards?: number): Shard {
  const slurm = env.SLURM_ARRAY_TASK_ID;
  const indexText = slurm ?? env.JOB_COMPLETION_INDEX;
  if (indexText === undefined) {
    throw new UserError('--shard auto needs SLURM_ARRAY_TASK_ID (a Slurm array job) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job).');
  }
  const where = slurm !== undefined ? 'SLURM_ARRAY_TASK_ID' : 'JOB_COMPLETION_INDEX';
  const given = shards ?? (env.HARK_SHARDS ? Number(env.HARK_SHARDS) : undefined);
  const count = given ?? (slurm !== undefined ? slurmArraySize(env) : undefined);
  if (count === undefined) {
    throw new UserError(`--shard auto: ${where} is set but not how many shards there are: give --shards N or set HARK_SHARDS.`);
  }
  return checkedShard(Number(indexText), count, `--shard auto (${where}=${indexText})`);
}

/** The size of a Slurm array that runs tasks 0..N-1, or undefined for any other array (a rerun, a list). */
function slurmArraySize(env: NodeJS.ProcessEnv): number | undefined {
  const count = Number(env.SLURM_ARRAY_TASK_COUNT);
  const min = Number(env.SLURM_ARRAY_TASK_MIN ?? 0);
  const max = Number(env.SLURM_ARRAY_TASK_MAX ?? count - 1);
  return Number.isInteger(count) && count > 0 && min === 0 && max === count - 1 ? count : undefined;
}

/** --shard: "i/n" or "auto" (with --shards N when the scheduler does not tell the count). */
export function resolveShard(text: string, env: NodeJS.ProcessEnv, shards?: number): Shard {
  return text.trim() === 'auto' ? shardFromEnv(env, shards) : parseShard(text);
}

/**
 * The items of shard `index` of `count`, in their original order: longest first, each goes to the shard with the
 * least total so far (lowest index on a tie), so the shards' totals differ by at most the longest item. The same
 * inputs give the same split on every machine.
 */
export function shardOf(sizes: readonly number[], { index, count }: Shard): number[] {
  const order = [...sizes.keys()].sort((a, b) => sizes[b] - sizes[a] || a - b);
  const totals = new Float64Array(count);
  const owner = new Int32Array(sizes.length);
  for (const item of order) {
    let least = 0;
    for (let s = 1; s < count; s++) if (totals[s] < totals[least]) least = s;
    owner[item] = least;
    totals[least] += sizes[item];
  }
  return [...sizes.keys()].filter((item) => owner[item] === index);
}

export function formatShard({ index, count }: Shard): string {
  return `${index}/${count}`;
}
