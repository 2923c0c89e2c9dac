/**
 * @file Audio cues synthesised with WebAudio (no sound files to ship or explain): a rising
 * two-note chime for success, a low double buzz for failure. Short and quiet enough for an office.
 */

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  ctx ??= new AudioContext();
  if (ctx.state === 'suspended') void ctx.resume();
  return ctx;
}

function tone(ac: AudioContext, freq: number, start: number, duration: number, type: OscillatorType): void {
  const osc = ac.createOscillator();
  const gain = ac.createGain();
  osc.type = type;
  osc.frequency.value = freq;
  // Quick attack and exponential release avoid clicks.
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  osc.connect(gain).connect(ac.destination);
  osc.start(start);
  osc.stop(start + duration + 0.02);
}

/**
 * Create the AudioContext up front: creating it inside the first result card blocked the UI for
 * ~140 ms in the e2e run (a long task right when the card appears).
 */
export function prepareAudio(): void {
  audio();
}

export function playSuccessCue(): void {
  const ac = audio();
  if (!ac) return;
  const t = ac.currentTime;
  tone(ac, 660, t, 0.15, 'sine');
  tone(ac, 990, t + 0.13, 0.25, 'sine');
}

export function playFailureCue(): void {
  const ac = audio();
  if (!ac) return;
  const t = ac.currentTime;
  tone(ac, 220, t, 0.18, 'square');
  tone(ac, 196, t + 0.22, 0.25, 'square');
}
