/**
 * Child process that owns the speaker. Loading the speaker module aborts the whole process when no output
 * device exists, which is why this runs apart from the UI: the parent sees the exit and carries on.
 */
import { DeviceHandoff } from './device-handoff.js';
import { playClip } from './speaker-playback.js';
import type { FromSpeakerChild, ToSpeakerChild } from './speaker-protocol.js';

const send = (message: FromSpeakerChild) => process.send?.(message);
const device = new DeviceHandoff();

function handle(request: ToSpeakerChild): void {
  if (request.type === 'stop') return void device.replace();
  const { id, pcm, sampleRate } = request;
  void device.replace(() =>
    playClip(pcm, sampleRate, {
      onStarted: () => send({ type: 'started', id }),
      onFailed: (message) => send({ type: 'failed', id, message }),
    }),
  );
}

process.on('message', handle);
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
