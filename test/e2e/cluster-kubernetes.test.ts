import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/fixtures.js';
import { assertSameOutputs } from '../helpers/same-outputs.js';
import { clusterFixture, RECIPES, run } from '../helpers/sharded-run.js';

const RECIPE = join(RECIPES, 'kubernetes-job.yaml');

/**
 * What a pod of the Indexed Job runs: the container's `sh -c` script (a folded YAML scalar under `args:`) and the
 * env entries, read from the recipe as written.
 */
function podSpec(yaml: string): { script: string; env: Record<string, string>; completions: number } {
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => l.trim() === 'args:');
  assert.ok(at > 0, 'the recipe has an args: list');
  const item = [lines[at + 1].trim().replace(/^- /, '')];
  const indent = lines[at + 1].search(/\S/);
  for (const line of lines.slice(at + 2)) {
    if (line.search(/\S/) <= indent) break;
    item.push(line.trim());
  }
  const env = Object.fromEntries([...yaml.matchAll(/- \{ name: (\w+), value: "([^"]*)" \}/g)].map((m) => [m[1], m[2]]));
  const completions = Number(/completions: (\d+)/.exec(yaml)?.[1]);
  return { script: item.join(' '), env, completions };
}

test('the README Kubernetes Indexed Job runs each pod\'s command as the Job would (JOB_COMPLETION_INDEX) and merges to what one apply writes', async () => {
  const yaml = readFileSync(RECIPE, 'utf8');
  const pod = podSpec(yaml);
  assert.equal(pod.env.HARK_SHARDS, String(pod.completions), 'the shard count the pods are told is the Job\'s completions');
  assert.match(pod.script, /hark extract \/media --store \/store --shard auto/);
  const dir = tempDir('hark-kubernetes-');
  const { media, store, env, hark } = await clusterFixture(dir);
  // the volumes the recipe mounts at /media and /store are the fixture's folders here; 3 pods, not 16, for time
  const script = pod.script.replaceAll('/media', media).replaceAll('/store', store);
  const shards = 3;
  const pods = (step: string) => {
    for (let index = 0; index < shards; index++) {
      run('sh', ['-c', script], { env: { ...env, ...pod.env, HARK_SHARDS: String(shards), STEP: step, JOB_COMPLETION_INDEX: String(index) }, cwd: dir });
    }
  };
  pods('extract');
  hark('apply', '--store', store, '--fit');
  pods('apply');
  hark('apply', '--store', store, '--merge', '--out', join(dir, 'merged'));
  hark('apply', '--store', store, '--out', join(dir, 'whole'));
  assertSameOutputs(join(dir, 'whole'), join(dir, 'merged'));
});

test('the README includes the Kubernetes recipe the test runs, word for word', () => {
  assert.ok(readFileSync('README.md', 'utf8').includes(readFileSync(RECIPE, 'utf8')));
});
