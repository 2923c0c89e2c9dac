/**
 * The relay runs as the real `kiosk sync` in a child process and is SIGKILLed 10 times at random
 * points while the receiver injects 100 random faults; it is restarted until done. The server's
 * deduplicated set must hold every recorded event exactly once, with the chain intact.
 */
import { describe, expect, it } from 'vitest';
import { runKillScenario } from './kill-scenario';

describe('kill test: kiosk sync killed at random points, restarted until delivered', () => {
  it('loses no event and delivers none twice into the server set across 10 kills and 100 faults', async () => {
    const r = await runKillScenario({ seed: Number(process.env.KIOSK_KILL_SEED ?? 20261203), debug: Boolean(process.env.KIOSK_KILL_DEBUG) });
    expect(r.finalExitCode).toBe(0);
    expect(r.kills).toBe(10);
    expect(r.faults).toBe(100);
    expect(r.eventsRecorded).toBe(300);
    expect(r.receiverProblems).toEqual([]);
    expect(r.chainProblems).toEqual([]);
    expect(r.missing).toBe(0);
    expect(r.unknown).toBe(0);
    expect(r.eventsInServerSet).toBe(r.eventsRecorded);
    expect(r.seqsContiguous).toBe(true);
    expect(r.outbox).toEqual({ done: r.eventsRecorded });
    // Some events really were re-sent after a kill or a lost answer: the dedup path was exercised.
    expect(r.redelivered).toBeGreaterThan(0);
    process.stdout.write(`kill test: seed ${r.seed}, ${r.kills} kills, ${r.faults} faults, ${r.requests} requests, ${r.eventsInServerSet} events delivered once, ${r.ms} ms\n`);
  }, 180_000);
});
