import { describe, expect, it } from 'vitest';
import { cosineSimilarity, fillEmbedderInput, flipHorizontal, l2Normalize } from '../../../electron/engine/embedding';
import { loadManifest, findModelOfKind } from '../../../electron/models/manifest';
import { INSTALLED_MODELS_DIR } from '../../helpers/paths';

const manifest = loadManifest(INSTALLED_MODELS_DIR);
const sface = findModelOfKind(manifest, 'sface-2021dec', 'embedder').preprocess;
const mfn = findModelOfKind(manifest, 'mobilefacenet-128', 'embedder').preprocess;

// A 2x1 RGB crop: pixel 0 = (255, 128, 0), pixel 1 = (10, 20, 30).
const crop = Uint8Array.from([255, 128, 0, 10, 20, 30]);

describe('embedder preprocessing from the manifest descriptor', () => {
  it('SFace: RGB planes, raw 0..255, no mean or std', () => {
    const out = new Float32Array(6);
    fillEmbedderInput(crop, 2, 1, sface, out);
    expect(Array.from(out)).toEqual([255, 10, 128, 20, 0, 30]);
  });

  it('MobileFaceNet: RGB planes, /255 then ImageNet mean/std', () => {
    const out = new Float32Array(6);
    fillEmbedderInput(crop, 2, 1, mfn, out);
    const want = [(1 - 0.485) / 0.229, (10 / 255 - 0.485) / 0.229, (128 / 255 - 0.456) / 0.224, (20 / 255 - 0.456) / 0.224, (0 - 0.406) / 0.225, (30 / 255 - 0.406) / 0.225];
    out.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
  });

  it('honours BGR order and NHWC layout', () => {
    const out = new Float32Array(6);
    fillEmbedderInput(crop, 2, 1, { ...sface, channelOrder: 'BGR', layout: 'NHWC' }, out);
    expect(Array.from(out)).toEqual([0, 128, 255, 30, 20, 10]);
  });

  it('refuses buffers of the wrong size', () => {
    expect(() => fillEmbedderInput(crop, 3, 1, sface, new Float32Array(9))).toThrow(/bytes/);
    expect(() => fillEmbedderInput(crop, 2, 1, sface, new Float32Array(5))).toThrow(/floats/);
  });
});

describe('L2 normalisation and cosine', () => {
  it('normalises to unit length', () => {
    const v = l2Normalize([3, 4]);
    expect(Array.from(v)).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
  });

  it('refuses zero and NaN vectors', () => {
    expect(() => l2Normalize([0, 0])).toThrow(/norm/);
    expect(() => l2Normalize([NaN, 1])).toThrow(/norm/);
  });

  it('cosine is 1 for parallel, 0 for orthogonal, −1 for opposite vectors, independent of length', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBeCloseTo(0, 12);
    expect(cosineSimilarity([1, 1], [-3, -3])).toBeCloseTo(-1, 12);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/differ/);
  });

  it('mirrors a crop left to right', () => {
    expect(Array.from(flipHorizontal(crop, 2, 1))).toEqual([10, 20, 30, 255, 128, 0]);
  });
});
