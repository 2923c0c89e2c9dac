/**
 * @file Dot products of one probe against every gallery row, in WebAssembly SIMD.
 *
 * Why WebAssembly: V8's scalar JIT loop tops out around 8 ms for 100,000 × 128 float32 on this
 * class of CPU (measured in tests/bench/store.bench.ts), above the 5 ms target; f32x4 SIMD does
 * four multiply-adds per instruction and gets close to memory bandwidth. Node 20 ships Wasm SIMD
 * enabled. The module is a dozen instructions, so it is assembled here byte by byte (no toolchain,
 * nothing downloaded) with the WAT it encodes written next to each part.
 *
 *   (func (export "scores") (param $gal i32) (param $probe i32) (param $out i32) (param $rows i32) (param $rowBytes i32)
 *     (local $j i32) (local $end i32) (local $a v128) (local $b v128)
 *     end = out + rows*4
 *     do { a = b = 0; j = 0
 *          do { a += gal[j..j+16]·probe[j..j+16]; b += gal[j+16..j+32]·probe[j+16..j+32]; j += 32 } while (j < rowBytes)
 *          *out = sum lanes(a + b); gal += rowBytes; out += 4 } while (out < end))
 *
 * Requirements checked by the caller: rows ≥ 1, rowBytes a positive multiple of 32 (dim % 8 == 0;
 * 128 and 512 both are), all pointers inside the imported memory.
 */

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(Buffer.from(s, 'utf8'))];
}

// Opcodes (WebAssembly core 2.0 + fixed-width SIMD).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_LT_U = 0x49;
const F32_ADD = 0x92;
const F32_STORE = 0x38;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const V128_CONST_ZERO = [SIMD, 0x0c, ...new Array<number>(16).fill(0)];
const F32X4_EXTRACT_LANE = [SIMD, 0x1f];
const F32X4_ADD = [SIMD, ...uleb(0xe4)];
const F32X4_MUL = [SIMD, ...uleb(0xe6)];
const I32 = 0x7f;
const V128 = 0x7b;

// Locals: 0 gal, 1 probe, 2 out, 3 rows, 4 rowBytes, 5 j, 6 end, 7 a, 8 b.
const [GAL, PROBE, OUT, ROWS, ROW_BYTES, J, ENDP, A, B] = [0, 1, 2, 3, 4, 5, 6, 7, 8];

/** acc += load(gal + j + off) * load(probe + j + off) */
function madd(acc: number, off: number): number[] {
  const memarg = [4, ...uleb(off)]; // align 2^4 (hint only), offset
  return [
    LOCAL_GET, acc,
    LOCAL_GET, GAL, LOCAL_GET, J, I32_ADD, ...V128_LOAD, ...memarg,
    LOCAL_GET, PROBE, LOCAL_GET, J, I32_ADD, ...V128_LOAD, ...memarg,
    ...F32X4_MUL, ...F32X4_ADD,
    LOCAL_SET, acc,
  ];
}

const BODY: number[] = [
  // end = out + (rows << 2)
  LOCAL_GET, OUT, LOCAL_GET, ROWS, I32_CONST, 2, I32_SHL, I32_ADD, LOCAL_SET, ENDP,
  LOOP, VOID,
  ...V128_CONST_ZERO, LOCAL_SET, A,
  ...V128_CONST_ZERO, LOCAL_SET, B,
  I32_CONST, 0, LOCAL_SET, J,
  LOOP, VOID,
  ...madd(A, 0),
  ...madd(B, 16),
  LOCAL_GET, J, I32_CONST, 32, I32_ADD, LOCAL_TEE, J,
  LOCAL_GET, ROW_BYTES, I32_LT_U, BR_IF, 0,
  END,
  // a = a + b; *out = a[0] + a[1] + a[2] + a[3]
  LOCAL_GET, A, LOCAL_GET, B, ...F32X4_ADD, LOCAL_SET, A,
  LOCAL_GET, OUT,
  LOCAL_GET, A, ...F32X4_EXTRACT_LANE, 0,
  LOCAL_GET, A, ...F32X4_EXTRACT_LANE, 1, F32_ADD,
  LOCAL_GET, A, ...F32X4_EXTRACT_LANE, 2, F32_ADD,
  LOCAL_GET, A, ...F32X4_EXTRACT_LANE, 3, F32_ADD,
  F32_STORE, 2, 0,
  // gal += rowBytes; out += 4; loop while out < end
  LOCAL_GET, GAL, LOCAL_GET, ROW_BYTES, I32_ADD, LOCAL_SET, GAL,
  LOCAL_GET, OUT, I32_CONST, 4, I32_ADD, LOCAL_TEE, OUT,
  LOCAL_GET, ENDP, I32_LT_U, BR_IF, 0,
  END,
  END,
];

const FUNC = [...uleb(2), 2, I32, 2, V128, ...BODY];

export const SCORES_WASM = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]), // type 0: (i32 ×5) → ()
  ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]), // import memory, min 1 page
  ...section(3, [1, 0]), // func 0 has type 0
  ...section(7, [1, ...name('scores'), 0x00, 0]), // export func 0 as "scores"
  ...section(10, [1, ...uleb(FUNC.length), ...FUNC]),
]);

export type ScoresFn = (gal: number, probe: number, out: number, rows: number, rowBytes: number) => void;

// tsconfig.node.json has no DOM lib and @types/node 20 does not declare WebAssembly: the few
// members used here, typed locally.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export function createWasmMemory(initialPages: number): WasmMemory {
  return new wasm.Memory({ initial: initialPages });
}

/** Instantiate the kernel over `memory`; null when this runtime lacks Wasm SIMD (caller falls back to JS). */
export function instantiateScores(memory: WasmMemory): ScoresFn | null {
  try {
    const mod = new wasm.Module(SCORES_WASM);
    const inst = new wasm.Instance(mod, { env: { memory } });
    return inst.exports.scores as ScoresFn;
  } catch {
    return null;
  }
}
