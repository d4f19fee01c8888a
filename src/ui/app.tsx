import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Command } from '../app/commands.js';
import { resolveKeys } from '../app/keymap.js';
import type { ColorMode } from '../format/color-mode.js';
import type { ReadySession } from '../labeler/start-session.js';
import { modelStatusLine } from './model-status.js';
import { HelpScreen } from './help-screen.js';
import { LabelScreen } from './label-screen.js';
import { SetupScreen } from './setup-screen.js';
import { TargetPicker } from './target-picker.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  storePath: string;
  color: ColorMode;
  /** ready at once when the store knows its labels; otherwise set up from the labels the user picks */
  ready?: ReadySession;
  setup?: (labels: string[]) => Promise<ReadySession>;
  /** label names the store's decisions already use, offered first on the setup screen */
  held?: string[];
}

export function App({ storePath, color, ready: initial, setup, held }: AppProps) {
  const [ready, setReady] = useState(initial);
  const [error, setError] = useState<string>();
  const { exit } = useApp();
  if (!ready) {
    return (
      <Box flexDirection="column">
        <SetupScreen held={held} onQuit={exit} onDone={(labels) => setup?.(labels).then(setReady, (err: Error) => setError(err.message))} />
        {error ? <Text color="red">{error}</Text> : null}
      </Box>
    );
  }
  return <Labeling ready={ready} storePath={storePath} color={color} />;
}

function Labeling({ ready, storePath, color }: { ready: ReadySession; storePath: string; color: ColorMode }) {
  const { controller, keymap, labels } = ready;
  const view = useSyncExternalStore(controller.subscribe, controller.getView);
  const model = useSyncExternalStore(ready.modelStatus.subscribe, ready.modelStatus.get);
  const { columns, rows } = useTerminalSize();
  const { exit } = useApp();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    controller.start();
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [controller]);
  useEffect(() => {
    if (view.session.quitting) exit();
  }, [view.session.quitting, exit]);
  useInput(
    (input, key) => {
      const dispatch = (command: Command) => controller.dispatch({ type: 'command', command });
      if (key.ctrl && input === 'c') return dispatch({ type: 'quit' });
      // the picker reads its own keys; Esc there closes it, as it closes help
      if (view.session.choosingTarget) return;
      if (key.escape && view.session.showHelp) return dispatch({ type: 'help' });
      const press = { input, backspace: key.backspace, delete: key.delete, escape: key.escape, ctrl: key.ctrl };
      for (const command of resolveKeys(keymap, press)) dispatch(command);
    },
  );
  if (view.session.choosingTarget) {
    return (
      <TargetPicker
        labels={labels}
        current={view.session.target}
        onChoose={(target) => controller.dispatch({ type: 'target-chosen', target })}
        onCancel={() => controller.dispatch({ type: 'command', command: { type: 'target' } })}
      />
    );
  }
  if (view.session.showHelp) return <HelpScreen keymap={keymap} labels={labels} rows={rows} />;
  return (
    <LabelScreen view={view} keymap={keymap} storePath={storePath} columns={columns} rows={rows} color={color} modelLine={model && modelStatusLine(model, now)} now={now} />
  );
}
