/**
 * @file Decide only after N consecutive frames agree (settings.recognition.agreeingFrames): one
 * lucky frame must not punch the wrong person, and one bad frame must not reject the right one
 * twice. A "candidate" is an employee id, "unknown" or "spoof"; any change restarts the streak.
 */

export type Candidate = { kind: 'employee'; employeeId: string } | { kind: 'unknown' } | { kind: 'spoof' };

export interface FrameVote {
  readonly candidate: Candidate;
  readonly similarity: number;
  /** Fused liveness probability, null when liveness is off. */
  readonly liveness: number | null;
}

export interface Agreement {
  readonly candidate: Candidate;
  readonly frames: number;
  /** Mean similarity over the agreeing frames. */
  readonly similarity: number;
  /** Mean liveness over the agreeing frames (null when off). */
  readonly liveness: number | null;
}

function sameCandidate(a: Candidate, b: Candidate): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== 'employee' || a.employeeId === (b as { employeeId: string }).employeeId;
}

export class AgreementTracker {
  private streak: FrameVote[] = [];

  constructor(private readonly needed: number) {
    if (!Number.isInteger(needed) || needed < 1) throw new RangeError('agreeingFrames must be a positive integer');
  }

  get count(): number {
    return this.streak.length;
  }

  get required(): number {
    return this.needed;
  }

  /** Add one frame's vote; returns the agreement once `needed` consecutive frames agree (and resets). */
  push(vote: FrameVote): Agreement | null {
    const first = this.streak[0];
    if (first && !sameCandidate(first.candidate, vote.candidate)) this.streak = [];
    this.streak.push(vote);
    if (this.streak.length < this.needed) return null;
    const votes = this.streak;
    this.streak = [];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const live = votes.map((v) => v.liveness).filter((v): v is number => v !== null);
    return {
      candidate: vote.candidate,
      frames: votes.length,
      similarity: mean(votes.map((v) => v.similarity)),
      liveness: live.length === votes.length ? mean(live) : null,
    };
  }

  /** A frame without a usable face breaks the streak. */
  reset(): void {
    this.streak = [];
  }
}
