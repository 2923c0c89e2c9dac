/**
 * @file Check the stored event log end to end: seq gap-free from 1, every prevHash links, every
 * hash recomputes. Reads in pages so a large log does not load at once.
 */
import type { Db } from '../store/database';
import { GENESIS_HASH, findChainBreak, type ChainBreak } from './event-hash';
import { listEvents } from './event-log';

export interface ChainReport {
  readonly ok: boolean;
  readonly events: number;
  readonly firstBreak: ChainBreak | null;
}

export function verifyEventChain(db: Db, pageSize = 2000): ChainReport {
  let prevHash = GENESIS_HASH;
  let nextSeq = 1;
  let count = 0;
  for (;;) {
    const page = listEvents(db, { afterSeq: nextSeq - 1, limit: pageSize });
    if (page.length === 0) return { ok: true, events: count, firstBreak: null };
    const brk = findChainBreak(page, prevHash, nextSeq);
    if (brk) return { ok: false, events: count, firstBreak: brk };
    count += page.length;
    prevHash = page[page.length - 1]!.hash;
    nextSeq = page[page.length - 1]!.seq + 1;
  }
}
