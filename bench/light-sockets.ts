import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { ROOT } from './config.js';
import { exitOf, stopChild, track } from './children.js';
import { documentUrl, type Endpoint } from './endpoint.js';
import { lightSocketsHost } from './light-sockets-host.js';
import type { LightCommand, LightReply, LightStats, StormResult } from './light-sockets-protocol.js';

const CHILD = path.join(ROOT, 'bench', 'light-sockets-child.ts');

/** What the handle talks to: the child process, or the same host run in this process. */
type Channel = Pick<ChildProcess, 'on' | 'off' | 'once' | 'send'> & { pid?: number | undefined };

/**
 * The light sockets run in this process, like the clients that measure: the
 * load where one process holds all 1,000 sockets, as a person trying the
 * server with one script would. Same commands, answered on the next turn.
 */
function inProcessChannel(): Channel {
  const channel = new EventEmitter();
  const handle = lightSocketsHost(
    (message) => setImmediate(() => channel.emit('message', message)),
    () => setImmediate(() => channel.emit('exit', 0)),
  );
  return Object.assign(channel, {
    pid: process.pid,
    send: (command: LightCommand) => {
      handle(command);
      return true;
    },
  }) as unknown as Channel;
}

/** The bench's handle on the light sockets (a child process, or this one); one request in flight at a time. */
export class LightSockets {
  private constructor(
    private readonly child: Channel,
    private readonly process: ChildProcess | null,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  /** The light sockets in this process, sharing its event loop with the measuring clients. */
  static inProcess(): LightSockets {
    return new LightSockets(inProcessChannel(), null);
  }

  static async start(): Promise<LightSockets> {
    const child = track(fork(CHILD, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const sockets = new LightSockets(child, child);
    await sockets.next('ready', 30_000);
    return sockets;
  }

  private next<T extends LightReply['type']>(type: T, timeoutMs: number): Promise<Extract<LightReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`light sockets: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (message: LightReply) => {
        if (message.type === type) done(undefined, message as Extract<LightReply, { type: T }>);
      };
      const onExit = () => done(new Error(`light-socket process exited while waiting for "${type}"`));
      const done = (err?: Error, message?: Extract<LightReply, { type: T }>) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (err) reject(err);
        else resolve(message!);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  private async request<T extends LightReply['type']>(command: LightCommand, type: T, timeoutMs = 10_000) {
    const answer = this.next(type, timeoutMs);
    this.child.send(command);
    return answer;
  }

  /** Opens `count` sockets at once and reports how long until all had the document. */
  async storm(endpoint: Endpoint, count: number, timeoutMs = 30_000): Promise<StormResult> {
    const command: LightCommand = { cmd: 'storm', url: documentUrl(endpoint), headers: endpoint.headers, count, timeoutMs };
    return (await this.request(command, 'storm', timeoutMs + 5_000)).result;
  }

  async resetCounters(): Promise<void> {
    await this.request({ cmd: 'reset' }, 'reset');
  }

  async stats(): Promise<LightStats> {
    return (await this.request({ cmd: 'stats' }, 'stats')).stats;
  }

  async close(): Promise<void> {
    try {
      await this.request({ cmd: 'close' }, 'closed', 5_000);
      if (this.process) await exitOf(this.process, 2_000);
    } catch {
      // it is killed below either way
    }
    if (this.process) await stopChild(this.process, 'SIGKILL');
  }
}
