import { execFileSync } from 'node:child_process';
import { after } from 'node:test';

/** A program running in a real terminal (a detached tmux session on a private server). */
export class TmuxTerminal {
  private static count = 0;
  readonly socket = `hark-test-${process.pid}-${TmuxTerminal.count++}`;

  /** Killed after the test file unless `killAfterTests` is false (outside node:test, call kill() yourself). */
  constructor(command: string, { columns = 80, rows = 24, env = {} as Record<string, string>, killAfterTests = true } = {}) {
    const exports = Object.entries(env).map(([k, v]) => `export ${k}='${v}'; `).join('');
    this.tmux('new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), `${exports}exec ${command}`);
    this.tmux('set-option', '-t', 'main', 'remain-on-exit', 'on');
    if (killAfterTests) after(() => this.kill());
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** The screen with the lines scrolled above it: what a program that has ended printed. */
  output(): string {
    return this.tmux('capture-pane', '-p', '-J', '-t', 'main', '-S', '-200');
  }

  keys(...keys: string[]): void {
    for (const k of keys) this.tmux('send-keys', '-t', 'main', '-l', k);
  }

  /** The pid of the program itself (the pane runs it with exec). */
  pid(): number {
    return Number(this.tmux('list-panes', '-t', 'main', '-F', '#{pane_pid}').trim());
  }

  exited(): boolean {
    return this.tmux('list-panes', '-t', 'main', '-F', '#{pane_dead}').trim() === '1';
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
  }

  async waitFor(pattern: RegExp | (() => boolean), timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.screen();
      if (typeof pattern === 'function' ? pattern() : pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${this.tmux("capture-pane", "-p", "-t", "main", "-S", "-50")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      /* already gone */
    }
  }
}
