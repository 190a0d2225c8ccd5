// A sound and a vibration for each kind of result, so the desk knows without looking.
let audio;

export function unlockSound() {
  if (!audio && (window.AudioContext || window.webkitAudioContext)) {
    audio = new (window.AudioContext || window.webkitAudioContext)();
  }
  if (audio && audio.state === "suspended") audio.resume();
}

function tone(frequency, start, duration) {
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = frequency;
  oscillator.type = "sine";
  gain.gain.setValueAtTime(0.25, audio.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + duration);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(audio.currentTime + start);
  oscillator.stop(audio.currentTime + start + duration);
}

const PATTERNS = {
  ok: { tones: [[880, 0, 0.15]], vibrate: [80] },
  warn: { tones: [[660, 0, 0.12], [660, 0.18, 0.12]], vibrate: [80, 80, 80] },
  bad: { tones: [[220, 0, 0.45]], vibrate: [400] },
};

export function signal(kind) {
  const pattern = PATTERNS[kind];
  if (!pattern) return;
  try {
    if (audio && audio.state === "running") pattern.tones.forEach(([f, s, d]) => tone(f, s, d));
    if (navigator.vibrate) navigator.vibrate(pattern.vibrate);
  } catch (error) {
    // Sound is a courtesy; a device without it still shows the colour.
  }
}
