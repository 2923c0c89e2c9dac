import { describe, expect, it } from 'vitest';
import { greetingKey } from '../../../renderer/src/app/greeting';
import { frameSizeFor, MAX_FRAME_WIDTH } from '../../../renderer/src/camera/frame-size';
import { classifyCameraError } from '../../../renderer/src/camera/camera-errors';

describe('renderer helpers', () => {
  it('frames are downscaled to at most 640 px wide, keeping the aspect ratio, never upscaled', () => {
    expect(frameSizeFor(1280, 720)).toEqual({ width: MAX_FRAME_WIDTH, height: 360 });
    expect(frameSizeFor(640, 480)).toEqual({ width: 640, height: 480 });
    expect(frameSizeFor(320, 240)).toEqual({ width: 320, height: 240 });
    expect(frameSizeFor(0, 0)).toEqual({ width: 0, height: 0 });
  });

  it('getUserMedia errors become denied / missing / failed', () => {
    expect(classifyCameraError(new DOMException('no', 'NotAllowedError'))).toBe('denied');
    expect(classifyCameraError(new DOMException('no', 'NotFoundError'))).toBe('missing');
    expect(classifyCameraError(new DOMException('no', 'OverconstrainedError'))).toBe('missing');
    expect(classifyCameraError(new DOMException('busy', 'NotReadableError'))).toBe('failed');
    expect(classifyCameraError('weird')).toBe('failed');
  });

  it('greets by local hour', () => {
    expect(greetingKey(new Date(2026, 0, 1, 8, 2))).toBe('morning');
    expect(greetingKey(new Date(2026, 0, 1, 12, 0))).toBe('afternoon');
    expect(greetingKey(new Date(2026, 0, 1, 18, 0))).toBe('evening');
  });
});
