import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OtherProcessesCpu } from './other-processes.js';
import { CpuWindow, MachineCpuWindow, OwnCpuWindow } from './proc-stats.js';

/** The loop-delay histogram records whole sampling intervals; the interval is subtracted to leave the lag. */
export const LOOP_SAMPLE_MS = 5;

export type Usage = {
  wallSeconds: number;
  /** % of one core, for every figure below. */
  serverCpuPercent: number;
  benchCpuPercent: number;
  lightCpuPercent: number;
  /** Whole machine (200 = both cores busy). */
  machineCpuPercent: number;
  /** Every other (non-kernel) process on the machine: someone else's work competing for the two cores. */
  otherCpuPercent: number;
  /** How late this process's timers ran (p99): high means the latency figures include our own queueing. */
  benchLoopLagP99Ms: number;
};

/**
 * CPU over the typing window for the server and for both client processes:
 * on two shared cores the clients' cost decides whether a latency figure is
 * about the server or about a saturated machine.
 */
export function startUsageWindow(serverPid: number, lightPid: number): { stop(): Usage } {
  const server = new CpuWindow(serverPid);
  const light = new CpuWindow(lightPid);
  const bench = new OwnCpuWindow();
  const machine = new MachineCpuWindow();
  const others = new OtherProcessesCpu(new Set([serverPid, lightPid, process.pid]));
  const loop = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
  loop.enable();
  return {
    stop() {
      const serverUse = server.stop();
      const machineCpuPercent = machine.stop();
      const otherCpuPercent = others.stop();
      const benchCpuPercent = bench.stop();
      const lightCpuPercent = light.stop().percentOfCore;
      loop.disable();
      return {
        wallSeconds: serverUse.wallSeconds,
        serverCpuPercent: serverUse.percentOfCore,
        benchCpuPercent,
        lightCpuPercent,
        machineCpuPercent,
        otherCpuPercent,
        benchLoopLagP99Ms: Math.max(0, loop.percentile(99) / 1e6 - LOOP_SAMPLE_MS),
      };
    },
  };
}
