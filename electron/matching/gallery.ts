/**
 * @file The in-memory gallery: every template of the active model as one row of a contiguous
 * float32 matrix (row-major, L2-normalised), and a cosine 1:N search over it.
 *
 * - The matrix lives in a WebAssembly.Memory so the SIMD kernel (simd-scores.ts) reads it in place;
 *   `vectors()` exposes the same bytes as a Float32Array.
 * - Rows are owned by employees; the search keeps the best row per the best employee and the best
 *   row of the best *different* employee, so several templates of one person never count as a
 *   competitor (margin is to the second-best different employee).
 * - Add and remove are incremental (swap-remove keeps the matrix dense), for enrol and delete.
 * - Plaintext embeddings exist only here, in memory; `clear()` zeroes them.
 */
import { InvalidInputError } from '../common/errors';
import { createWasmMemory, instantiateScores, type ScoresFn } from './simd-scores';

const PAGE = 65_536;

export interface GalleryMatch {
  readonly employeeId: string;
  readonly similarity: number;
  /** Best different employee, or null when only one employee is enrolled. */
  readonly secondEmployeeId: string | null;
  readonly secondSimilarity: number | null;
  /** similarity − secondSimilarity; with no other employee, similarity − 0 (an unrelated face scores ≈ 0). */
  readonly margin: number;
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export class Gallery {
  readonly modelId: string;
  readonly dim: number;
  private readonly memory = createWasmMemory(1);
  private readonly kernel: ScoresFn | null;
  private capacity = 0;
  private rows = 0;
  private probeOff = 0;
  private scoresOff = 0;
  private galleryOff = 0;
  private f32 = new Float32Array(0);
  private u8 = new Uint8Array(0);
  /** Row → employee slot. */
  private owners = new Int32Array(0);
  private templateIds: string[] = [];
  private readonly rowOfTemplate = new Map<string, number>();
  private readonly slotOf = new Map<string, number>();
  private slotIds: Array<string | undefined> = [];
  private slotRows: number[] = [];
  private freeSlots: number[] = [];

  constructor(modelId: string, dim: number, opts: { simd?: boolean } = {}) {
    if (!Number.isInteger(dim) || dim < 1 || dim > 4096) throw new InvalidInputError(`gallery dimension must be an integer 1..4096, got ${dim}`);
    this.modelId = modelId;
    this.dim = dim;
    // The kernel handles 8 floats per step; other sizes use the scalar loop.
    this.kernel = opts.simd === false || dim % 8 !== 0 ? null : instantiateScores(this.memory);
    this.reserve(64);
  }

  /** True when searches run on the Wasm SIMD kernel. */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** Number of templates (rows). */
  get size(): number {
    return this.rows;
  }

  get employeeCount(): number {
    return this.slotOf.size;
  }

  hasEmployee(employeeId: string): boolean {
    return this.slotOf.has(employeeId);
  }

  hasTemplate(templateId: string): boolean {
    return this.rowOfTemplate.has(templateId);
  }

  /** The contiguous matrix (rows × dim), valid until the next add. */
  vectors(): Float32Array {
    return this.f32.subarray(this.galleryOff / 4, this.galleryOff / 4 + this.rows * this.dim);
  }

  /** Make room for `n` rows in total without further growth. */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, Math.ceil(this.capacity * 1.5));
    const probeOff = 0;
    const scoresOff = align(this.dim * 4, 64);
    const galleryOff = align(scoresOff + cap * 4, 64);
    const need = galleryOff + cap * this.dim * 4;
    const have = this.memory.buffer.byteLength;
    if (need > have) this.memory.grow(Math.ceil((need - have) / PAGE));
    const bytes = new Uint8Array(this.memory.buffer);
    // Scores grew, so the matrix moves up; copyWithin is an overlapping-safe memmove.
    if (this.rows > 0 && galleryOff !== this.galleryOff) bytes.copyWithin(galleryOff, this.galleryOff, this.galleryOff + this.rows * this.dim * 4);
    this.probeOff = probeOff;
    this.scoresOff = scoresOff;
    this.galleryOff = galleryOff;
    this.f32 = new Float32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
    const owners = new Int32Array(cap);
    owners.set(this.owners.subarray(0, this.rows));
    this.owners = owners;
    this.capacity = cap;
  }

  private slotFor(employeeId: string): number {
    let slot = this.slotOf.get(employeeId);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.slotIds.length;
      this.slotIds[slot] = employeeId;
      this.slotRows[slot] = 0;
      this.slotOf.set(employeeId, slot);
    }
    return slot;
  }

  /**
   * Add one template, filling its row in place with `fill` (e.g. decrypting straight into it).
   * If `fill` throws, nothing is added and the error propagates. The row is L2-normalised.
   */
  addWith(employeeId: string, templateId: string, fill: (row: Float32Array) => void): void {
    if (this.rowOfTemplate.has(templateId)) throw new InvalidInputError(`template ${templateId} is already in the gallery`);
    this.reserve(this.rows + 1);
    const start = this.galleryOff / 4 + this.rows * this.dim;
    const row = this.f32.subarray(start, start + this.dim);
    try {
      fill(row);
    } catch (e) {
      row.fill(0);
      throw e;
    }
    let ss = 0;
    for (let i = 0; i < this.dim; i += 1) ss += row[i]! * row[i]!;
    if (!(ss > 0) || !Number.isFinite(ss)) {
      row.fill(0);
      throw new InvalidInputError(`template ${templateId} is a zero or non-finite vector`);
    }
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < this.dim; i += 1) row[i]! *= inv;
    this.claimNextRow(templateId, employeeId);
  }

  /** Book the row just written at index `rows` to its template and employee, and advance `rows`. */
  private claimNextRow(templateId: string, employeeId: string): void {
    const slot = this.slotFor(employeeId);
    this.owners[this.rows] = slot;
    this.slotRows[slot]! += 1;
    this.templateIds[this.rows] = templateId;
    this.rowOfTemplate.set(templateId, this.rows);
    this.rows += 1;
  }

  /**
   * Add many rows at once: `vectors` holds rows × dim floats; `ids` the templateId, employeeId of
   * each row, flattened; rows with `keep[i] === false` are skipped. Copies contiguous runs in one
   * go and normalises in a tight loop (cold start adds 100,000 rows). Returns the rows added;
   * rows that are zero/non-finite or duplicate ids are skipped and returned in `rejected`.
   */
  addBatch(ids: readonly string[], vectors: Float32Array, keep: (i: number) => boolean): { added: number; rejected: Array<{ templateId: string; employeeId: string; reason: string }> } {
    const count = ids.length / 2;
    if (vectors.length !== count * this.dim) throw new InvalidInputError(`batch has ${vectors.length} floats for ${count} rows of ${this.dim}`);
    this.reserve(this.rows + count);
    const rejected: Array<{ templateId: string; employeeId: string; reason: string }> = [];
    let added = 0;
    const d = this.dim;
    const base = this.galleryOff / 4;
    for (let i = 0; i < count; i += 1) {
      if (!keep(i)) continue;
      const templateId = ids[2 * i]!;
      const employeeId = ids[2 * i + 1]!;
      if (this.rowOfTemplate.has(templateId)) {
        rejected.push({ templateId, employeeId, reason: `template ${templateId} is already in the gallery` });
        continue;
      }
      const dst = base + this.rows * d;
      const src = i * d;
      let ss = 0;
      for (let j = 0; j < d; j += 1) ss += vectors[src + j]! * vectors[src + j]!;
      if (!(ss > 0) || !Number.isFinite(ss)) {
        rejected.push({ templateId, employeeId, reason: `template ${templateId} is a zero or non-finite vector` });
        continue;
      }
      const inv = 1 / Math.sqrt(ss);
      const f = this.f32;
      for (let j = 0; j < d; j += 1) f[dst + j] = vectors[src + j]! * inv;
      this.claimNextRow(templateId, employeeId);
      added += 1;
    }
    return { added, rejected };
  }

  /**
   * Add one row from raw little-endian float32 bytes (a decrypted template): copied straight into the
   * matrix, no intermediate arrays — the cold-start hot path. Throws like `addWith`.
   */
  addBytes(employeeId: string, templateId: string, bytes: Uint8Array): void {
    if (bytes.length !== this.dim * 4) throw new InvalidInputError(`template ${templateId} has ${bytes.length / 4} dimensions, the gallery (${this.modelId}) has ${this.dim}`);
    if (this.rowOfTemplate.has(templateId)) throw new InvalidInputError(`template ${templateId} is already in the gallery`);
    this.reserve(this.rows + 1);
    const d = this.dim;
    const start = this.galleryOff / 4 + this.rows * d;
    this.u8.set(bytes, start * 4);
    const f = this.f32;
    let ss = 0;
    for (let j = start; j < start + d; j += 1) ss += f[j]! * f[j]!;
    if (!(ss > 0) || !Number.isFinite(ss)) {
      f.fill(0, start, start + d);
      throw new InvalidInputError(`template ${templateId} is a zero or non-finite vector`);
    }
    const inv = 1 / Math.sqrt(ss);
    for (let j = start; j < start + d; j += 1) f[j]! *= inv;
    this.claimNextRow(templateId, employeeId);
  }

  add(employeeId: string, templateId: string, embedding: Float32Array): void {
    if (embedding.length !== this.dim) throw new InvalidInputError(`embedding has ${embedding.length} dimensions, the gallery (${this.modelId}) has ${this.dim}`);
    this.addWith(employeeId, templateId, (row) => row.set(embedding));
  }

  private removeRow(r: number): void {
    const last = this.rows - 1;
    const slot = this.owners[r]!;
    this.rowOfTemplate.delete(this.templateIds[r]!);
    const base = this.galleryOff / 4;
    if (r !== last) {
      this.f32.copyWithin(base + r * this.dim, base + last * this.dim, base + (last + 1) * this.dim);
      this.owners[r] = this.owners[last]!;
      this.templateIds[r] = this.templateIds[last]!;
      this.rowOfTemplate.set(this.templateIds[r]!, r);
    }
    this.f32.fill(0, base + last * this.dim, base + (last + 1) * this.dim);
    this.templateIds.length = last;
    this.rows = last;
    this.slotRows[slot]! -= 1;
    if (this.slotRows[slot] === 0) {
      this.slotOf.delete(this.slotIds[slot]!);
      this.slotIds[slot] = undefined;
      this.freeSlots.push(slot);
    }
  }

  removeTemplate(templateId: string): boolean {
    const r = this.rowOfTemplate.get(templateId);
    if (r === undefined) return false;
    this.removeRow(r);
    return true;
  }

  /** Remove every template of an employee; returns how many were removed. */
  removeEmployee(employeeId: string): number {
    const slot = this.slotOf.get(employeeId);
    if (slot === undefined) return 0;
    let n = 0;
    for (let r = this.rows - 1; r >= 0; r -= 1) {
      if (this.owners[r] === slot) {
        this.removeRow(r);
        n += 1;
      }
    }
    return n;
  }

  /** Zero every plaintext row and forget all employees. */
  clear(): void {
    this.f32.fill(0);
    this.rows = 0;
    this.templateIds = [];
    this.rowOfTemplate.clear();
    this.slotOf.clear();
    this.slotIds = [];
    this.slotRows = [];
    this.freeSlots = [];
  }

  /** Cosine similarity of `probe` to every row, written to the scores region; returns a view of it. */
  private scoreAll(probe: Float32Array): Float32Array {
    if (probe.length !== this.dim) throw new InvalidInputError(`probe has ${probe.length} dimensions, the gallery (${this.modelId}) has ${this.dim}`);
    let ss = 0;
    for (let i = 0; i < this.dim; i += 1) ss += probe[i]! * probe[i]!;
    if (!(ss > 0) || !Number.isFinite(ss)) throw new InvalidInputError('probe is a zero or non-finite vector');
    const inv = 1 / Math.sqrt(ss);
    const p = this.probeOff / 4;
    for (let i = 0; i < this.dim; i += 1) this.f32[p + i] = probe[i]! * inv;
    const s = this.scoresOff / 4;
    if (this.rows === 0) return this.f32.subarray(s, s);
    if (this.kernel) {
      this.kernel(this.galleryOff, this.probeOff, this.scoresOff, this.rows, this.dim * 4);
    } else {
      const f = this.f32;
      const d = this.dim;
      for (let r = 0, o = this.galleryOff / 4; r < this.rows; r += 1, o += d) {
        let a = 0;
        for (let j = 0; j < d; j += 1) a += f[o + j]! * f[p + j]!;
        f[s + r] = a;
      }
    }
    return this.f32.subarray(s, s + this.rows);
  }

  /** Best employee, its similarity and the margin to the best different employee; null if empty. */
  search(probe: Float32Array): GalleryMatch | null {
    if (this.rows === 0) {
      this.scoreAll(probe); // still validates the probe
      return null;
    }
    const scores = this.scoreAll(probe);
    const owners = this.owners;
    let b1 = -Infinity;
    let o1 = -1;
    let b2 = -Infinity;
    let o2 = -1;
    for (let r = 0; r < this.rows; r += 1) {
      const sc = scores[r]!;
      if (sc <= b2) continue; // most rows stop here
      const o = owners[r]!;
      if (o === o1) {
        if (sc > b1) b1 = sc;
      } else if (sc > b1) {
        b2 = b1;
        o2 = o1;
        b1 = sc;
        o1 = o;
      } else {
        b2 = sc;
        o2 = o;
      }
    }
    const similarity = Math.min(1, b1);
    const second = o2 >= 0 ? Math.min(1, b2) : null;
    return {
      employeeId: this.slotIds[o1]!,
      similarity,
      secondEmployeeId: o2 >= 0 ? this.slotIds[o2]! : null,
      secondSimilarity: second,
      margin: similarity - (second ?? 0),
    };
  }

  /** Best similarity per employee (for duplicate checks and diagnostics), highest first. */
  rankEmployees(probe: Float32Array, limit = 5): Array<{ employeeId: string; similarity: number }> {
    if (this.rows === 0) return [];
    const scores = this.scoreAll(probe);
    const best = new Map<number, number>();
    for (let r = 0; r < this.rows; r += 1) {
      const o = this.owners[r]!;
      const prev = best.get(o);
      if (prev === undefined || scores[r]! > prev) best.set(o, scores[r]!);
    }
    return [...best.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([o, s]) => ({ employeeId: this.slotIds[o]!, similarity: Math.min(1, s) }));
  }
}
